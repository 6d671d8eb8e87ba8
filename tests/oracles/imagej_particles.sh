#!/bin/sh
# Regenerate tests/data/imagej_gen: test images made by imagej_particles.py
# and ImageJ 1.53t's own Results for them (ImagejParticles.java, headless;
# needs `make deps-oracle`: imagej, a JDK, python3-numpy/scipy/pil).
set -e
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../data/imagej_gen"
rm -rf "$out"
mkdir -p "$out"
/usr/bin/python3 "$here/imagej_particles.py" "$out"
java -Djava.awt.headless=true -cp /usr/share/java/ij.jar "$here/ImagejParticles.java" "$out" \
    "$out"/*.pgm "$out"/*.png
echo "imagej_particles: $(ls "$out"/*.csv | wc -l) result tables in $out"
