// ImageJ 1.53t as an oracle for libcgan's particle measurement.  Runs with
// no display: java -Djava.awt.headless=true -cp /usr/share/java/ij.jar
// ImagejParticles.java OUTDIR IMAGE...  For each image and option set it
// writes OUTDIR/NAME.SET.csv (Results table, full double precision) and
// OUTDIR/NAME.SET.summary.txt (threshold and count).
import ij.IJ;
import ij.ImagePlus;
import ij.measure.Measurements;
import ij.measure.ResultsTable;
import ij.plugin.filter.ParticleAnalyzer;
import ij.process.ImageConverter;
import ij.process.ImageProcessor;
import java.io.File;
import java.io.PrintWriter;

public class ImagejParticles {
    // name, threshold (-1 = Default), bright, exclude edges, include holes, min size
    static final Object[][] SETS = {
        {"default", -1, false, false, false, 0.0},
        {"exclude", -1, false, true, false, 0.0},
        {"holes", -1, false, false, true, 0.0},
        {"bright", -1, true, false, false, 0.0},
        {"fixed100", 100, false, false, false, 0.0},
        {"min10holes", -1, false, false, true, 10.0},
    };
    static final String[] COLS = {"Area", "X", "Y", "Perim.", "Major", "Minor", "Angle", "Circ.", "AR"};

    public static void main(String[] args) throws Exception {
        String outDir = args[0];
        for (int a = 1; a < args.length; a++) {
            String path = args[a];
            String name = new File(path).getName().replaceAll("\\.[^.]*$", "");
            for (Object[] set : SETS) run(path, name, outDir, set);
        }
    }

    static void run(String path, String name, String outDir, Object[] set) throws Exception {
        ImagePlus imp = IJ.openImage(path);
        int bitDepth = imp.getBitDepth();
        if (bitDepth != 8) new ImageConverter(imp).convertToGray8(); // via the display range
        ImageProcessor ip = imp.getProcessor();
        int level = (Integer) set[1];
        boolean bright = (Boolean) set[2];
        if (level < 0) ip.setAutoThreshold(bright ? "Default dark" : "Default");
        else if (bright) ip.setThreshold(level + 1, 255, ImageProcessor.NO_LUT_UPDATE);
        else ip.setThreshold(0, level, ImageProcessor.NO_LUT_UPDATE);
        int options = ParticleAnalyzer.SHOW_NONE;
        if ((Boolean) set[3]) options |= ParticleAnalyzer.EXCLUDE_EDGE_PARTICLES;
        if ((Boolean) set[4]) options |= ParticleAnalyzer.INCLUDE_HOLES;
        int meas = Measurements.AREA | Measurements.CENTROID | Measurements.PERIMETER
                | Measurements.ELLIPSE | Measurements.SHAPE_DESCRIPTORS;
        ResultsTable rt = new ResultsTable();
        ParticleAnalyzer pa = new ParticleAnalyzer(options, meas, rt, (Double) set[5],
                Double.POSITIVE_INFINITY);
        pa.setHideOutputImage(true);
        if (!pa.analyze(imp, ip)) throw new RuntimeException("analyze failed: " + path);
        String base = outDir + "/" + name + "." + set[0];
        try (PrintWriter w = new PrintWriter(base + ".csv")) {
            w.println(String.join(",", COLS));
            for (int r = 0; r < rt.size(); r++) {
                StringBuilder sb = new StringBuilder();
                for (int c = 0; c < COLS.length; c++) {
                    if (c > 0) sb.append(',');
                    sb.append(Double.toString(rt.getValue(COLS[c], r)));
                }
                w.println(sb);
            }
        }
        try (PrintWriter w = new PrintWriter(base + ".summary.txt")) {
            w.println("imagej_version=" + IJ.getVersion());
            w.println("input=" + new File(path).getName());
            w.println("original_bit_depth=" + bitDepth);
            w.println("threshold_lower=" + (int) ip.getMinThreshold());
            w.println("threshold_upper=" + (int) ip.getMaxThreshold());
            w.println("min_size_px=" + set[5]);
            w.println("count=" + rt.size());
        }
    }
}
