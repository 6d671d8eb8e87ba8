# libcgan build.  `make help` lists the targets.
#
# The version comes from include/cgan/core.h (single source of truth).
VERSION_MAJOR := $(shell sed -n 's/^\#define CGAN_VERSION_MAJOR \([0-9]*\).*/\1/p' include/cgan/core.h)
VERSION_MINOR := $(shell sed -n 's/^\#define CGAN_VERSION_MINOR \([0-9]*\).*/\1/p' include/cgan/core.h)
VERSION_PATCH := $(shell sed -n 's/^\#define CGAN_VERSION_PATCH \([0-9]*\).*/\1/p' include/cgan/core.h)
VERSION := $(VERSION_MAJOR).$(VERSION_MINOR).$(VERSION_PATCH)

PREFIX      ?= /usr/local
EXEC_PREFIX ?= $(PREFIX)
BINDIR      ?= $(EXEC_PREFIX)/bin
LIBDIR      ?= $(EXEC_PREFIX)/lib
INCLUDEDIR  ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
DESTDIR     ?=

CC      ?= cc
CXX     ?= c++
PKG_CONFIG ?= pkg-config
CFLAGS  ?= -O2 -g
# Packages found with pkg-config; `make deps` installs them.
PKGS     := openblas zlib stb libpng libtiff-4 fftw3f fftw3
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
CHECK_CFLAGS := $(shell $(PKG_CONFIG) --cflags check 2>/dev/null)
CHECK_LIBS   := $(shell $(PKG_CONFIG) --libs check 2>/dev/null)

# Flags every object needs, whatever CFLAGS says.  -fno-math-errno: the
# library never reads errno after a math call, and with it sqrtf vectorises.
# GCC's dynamic vectoriser cost model (-O3's) also takes loops outside the
# kernels (which get -O3, below) that need an alias check, such as the
# optimizer's, which -O2's leaves scalar; vectorising never reorders a sum,
# so results are the same bits.  Compilers without the option go without.
VECT_CFLAGS := $(shell $(CC) -fvect-cost-model=dynamic -E -x c /dev/null >/dev/null 2>&1 && \
                 echo -fvect-cost-model=dynamic)
ALL_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -fno-math-errno $(VECT_CFLAGS) -Wall -Wextra \
              -Wno-unused-parameter -fPIC -fvisibility=hidden -Iinclude \
              $(PKG_CFLAGS) $(CFLAGS) -MMD -MP
LIBS := $(PKG_LIBS) -lm -lpthread

BUILD := build
SONAME   := libcgan.so.$(VERSION_MAJOR)
SHARED   := lib/libcgan.so.$(VERSION)
STATIC   := lib/libcgan.a
CLI      := bin/cgan

LIB_SRC  := $(sort $(filter-out src/cli/%,$(wildcard src/*/*.c src/*/*/*.c)))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_SRC  := $(sort $(wildcard src/cli/*.c))
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
TEST_SRC := $(sort $(wildcard tests/check_*.c))
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/%.o)
TEST_BIN := $(BUILD)/tests/check_cgan
EXAMPLE_SRC := $(sort $(wildcard examples/*.c))
EXAMPLES_SHARED := $(EXAMPLE_SRC:examples/%.c=$(BUILD)/examples/shared/%)
EXAMPLES_STATIC := $(EXAMPLE_SRC:examples/%.c=$(BUILD)/examples/static/%)

# Debian packages: to build and test, and (deps-oracle) to re-run the oracles.
DEB_PKGS := build-essential pkgconf libopenblas-dev zlib1g-dev libstb-dev libpng-dev \
            libtiff-dev libfftw3-dev check valgrind
DEB_ORACLE_PKGS := python3-numpy python3-scipy python3-torch python3-skimage python3-pil imagej xvfb \
                   default-jdk-headless libjemalloc2

.PHONY: FORCE all lib cli examples check test-unit test-examples test-exports test-install \
        test-valgrind test-cli-analysis test-cli-prepare test-cli-model test-cli-report test-cli-train \
        test-cli-bench install uninstall clean deps deps-oracle oracles bench bench-compare help demo

all: lib cli examples

help:
	@echo "make deps      install the Debian packages needed to build and test (apt-get)"
	@echo "make           build lib/libcgan.so.$(VERSION), lib/libcgan.a, bin/cgan, examples"
	@echo "make check     run the whole test suite"
	@echo "make demo      run the end-to-end demo"
	@echo "make bench     run the benchmark (cgan bench; BENCH_ARGS=...)"
	@echo "make bench-compare  the benchmark side by side with PyTorch"
	@echo "make install   install into PREFIX=$(PREFIX) (DESTDIR honoured); uninstall removes"
	@echo "make oracles   regenerate test fixtures with PyTorch/ImageJ (make deps-oracle first)"

lib: $(SHARED) $(STATIC) lib/libcgan.so lib/pkgconfig/cgan.pc
cli: $(CLI)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

# The numeric kernels' loops need the loop vectoriser (GCC's -O2 cost model
# leaves element-wise selects scalar; -fno-trapping-math lets it if-convert
# them).  No fast-math: no reassociation, so results are unchanged.
$(BUILD)/src/kernels/%.o: ALL_CFLAGS += -O3 -fno-trapping-math
# im2col and the convolution kernels copy rows of 8-64 floats: as inlined
# moves, not a memcpy call per row (which GCC otherwise turns each copy
# loop into).
$(BUILD)/src/kernels/im2col.o $(BUILD)/src/kernels/conv_k4s2.o $(BUILD)/src/kernels/convt_k4s2.o: \
    ALL_CFLAGS += -fno-tree-loop-distribute-patterns

$(SHARED): $(LIB_OBJ) src/libcgan.map
	@mkdir -p lib
	$(CC) -shared -Wl,-soname,$(SONAME) -Wl,--version-script=src/libcgan.map \
	    -Wl,--no-undefined -o $@ $(LIB_OBJ) $(LIBS)

lib/libcgan.so: $(SHARED)
	ln -sf libcgan.so.$(VERSION) lib/$(SONAME)
	ln -sf $(SONAME) lib/libcgan.so

$(STATIC): $(LIB_OBJ)
	@mkdir -p lib
	rm -f $@
	ar rcs $@ $(LIB_OBJ)

# cgan.pc from the template: PKG_CONFIG_PATH=lib/pkgconfig uses the build
# tree itself; `make install` writes one for the install prefix.
PC_SED = sed -e 's|@VERSION@|$(VERSION)|'
lib/pkgconfig/cgan.pc: pkgconfig/cgan.pc.in include/cgan/core.h Makefile
	@mkdir -p lib/pkgconfig
	$(PC_SED) -e 's|@PREFIX@|$(CURDIR)|' -e 's|@LIBDIR@|$(CURDIR)/lib|' \
	    -e 's|@INCLUDEDIR@|$(CURDIR)/include|' $< > $@

# The command-line program uses only the public API, linked statically so it
# runs from the build tree without LD_LIBRARY_PATH.
$(CLI): $(CLI_OBJ) $(STATIC)
	@mkdir -p bin
	$(CC) -o $@ $(CLI_OBJ) $(STATIC) $(LIBS)

# ------------------------------------------------------------------ examples
examples: $(EXAMPLES_SHARED) $(EXAMPLES_STATIC)

$(BUILD)/examples/shared/%: examples/%.c lib/libcgan.so
	@mkdir -p $(dir $@)
	$(CC) -std=c99 -Wall -Wextra -O2 -Iinclude $< -o $@ -Llib -lcgan -Wl,-rpath,'$$ORIGIN/../../../lib' -lm

$(BUILD)/examples/static/%: examples/%.c $(STATIC)
	@mkdir -p $(dir $@)
	$(CC) -std=c99 -Wall -Wextra -O2 -Iinclude $< -o $@ $(STATIC) $(LIBS)

# alloy_ablation.c is alloy_discrete.c with one setting changed (#include).
$(BUILD)/examples/shared/alloy_ablation $(BUILD)/examples/static/alloy_ablation: examples/alloy_discrete.c

# --------------------------------------------------------------------- tests
# The list of test sources, rewritten only when it changes: a deleted
# tests/check_*.c must regenerate suites.h too.
$(BUILD)/tests/sources.list: FORCE
	@mkdir -p $(dir $@)
	@echo '$(TEST_SRC)' | cmp -s - $@ || echo '$(TEST_SRC)' > $@

FORCE:

$(BUILD)/tests/suites.h: $(TEST_SRC) $(BUILD)/tests/sources.list
	@mkdir -p $(dir $@)
	grep -ho '^Suite \*cgan_test_[a-z0-9_]*_suite(void)' $(TEST_SRC) | \
	    sed 's/^Suite \*\(.*\)(void)/SUITE(\1)/' > $@.tmp && mv $@.tmp $@

$(BUILD)/tests/%.o: tests/%.c $(BUILD)/tests/suites.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Isrc -I$(BUILD)/tests $(CHECK_CFLAGS) \
	    -DCGAN_TEST_DATA='"$(CURDIR)/tests/data"' -c $< -o $@

$(TEST_BIN): $(TEST_OBJ) $(STATIC)
	$(CC) -o $@ $(TEST_OBJ) $(STATIC) $(LIBS) $(CHECK_LIBS)

check: test-unit test-examples test-exports test-install test-valgrind test-cli-analysis \
       test-cli-prepare test-cli-model test-cli-report test-cli-train test-cli-bench
	@echo "make check: all test groups passed"

test-unit: $(TEST_BIN)
	$(TEST_BIN)

# Every example, against the shared and the static library, with tiny settings.
test-examples: examples
	@set -e; for e in $(EXAMPLES_SHARED) $(EXAMPLES_STATIC); do \
	    echo "smoke: $$e"; $$e --smoke > $(BUILD)/$$(basename $$e).log 2>&1 || \
	        { cat $(BUILD)/$$(basename $$e).log; exit 1; }; done

# Only cgan_ symbols may be exported from the shared library.
# cgan__ (two underscores) is the library's internal prefix: never exported.
test-exports: $(SHARED)
	@bad=$$(nm -D --defined-only $(SHARED) | awk '{print $$3}' | grep -v '^cgan_[^_]' || true); \
	if [ -n "$$bad" ]; then echo "stray exports:"; echo "$$bad"; exit 1; fi; \
	echo "exports: $$(nm -D --defined-only $(SHARED) | grep -c ' cgan_') cgan_ symbols, nothing else"

# Staged install, then a program built outside the tree with pkg-config, as C
# and as C++, against the shared and the static library.
test-install: all
	sh tests/install_test.sh "$(MAKE)" "$(CC)" "$(CXX)" "$(PKG_CONFIG)"

# `cgan info` and `cgan generate` from the command line.
test-cli-model: $(CLI)
	sh tests/cli_model.sh $(CLI)

# `cgan train`: interrupted + resumed = uninterrupted, signals, errors.
test-cli-train: $(CLI)
	sh tests/cli_train.sh $(CLI)

# `cgan bench` on the small configuration (no timing checked).
test-cli-bench: $(CLI)
	sh tests/cli_bench.sh $(CLI)

# `cgan analyze` and `cgan compare` from the command line.
test-cli-analysis: $(CLI)
	sh tests/cli_analysis.sh $(CLI)

# `cgan compare` + `cgan report` on synthetic images, a fabricated log and sheets.
test-cli-report: $(CLI)
	sh tests/cli_report.sh $(CLI)

# `cgan prepare` used as a new user would, including bad manifests.
test-cli-prepare: $(CLI)
	sh tests/cli_prepare.sh $(CLI)

# Create/destroy cycles and error paths leak nothing.
test-valgrind: $(TEST_BIN)
	CK_FORK=no CK_RUN_SUITE=lifecycle valgrind -q --error-exitcode=9 --leak-check=full \
	    --errors-for-leak-kinds=definite,indirect $(TEST_BIN)

# -------------------------------------------------------------------- bench
# `make bench`: `cgan bench` (the paper model's training iteration, inference,
# per-layer breakdown, RSS, environment); BENCH_ARGS is passed on, e.g.
# BENCH_ARGS="--batch 16 --iters 3".  `make bench-compare`: the same side by
# side with PyTorch (bench/compare.sh, needs python3-torch); COMPARE_ARGS is
# passed on (--batch, --iters, --threads, --keep-coretype).
bench: $(CLI)
	$(CLI) bench $(BENCH_ARGS)

bench-compare: $(CLI)
	sh bench/compare.sh --cgan $(CLI) $(COMPARE_ARGS)

# ------------------------------------------------------------------ install
install: lib cli
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR)/cgan $(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(BINDIR)
	install -m 644 include/cgan.h $(DESTDIR)$(INCLUDEDIR)/cgan.h
	install -m 644 include/cgan/*.h $(DESTDIR)$(INCLUDEDIR)/cgan/
	install -m 755 $(SHARED) $(DESTDIR)$(LIBDIR)/
	ln -sf libcgan.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libcgan.so
	install -m 644 $(STATIC) $(DESTDIR)$(LIBDIR)/
	$(PC_SED) -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	    pkgconfig/cgan.pc.in > $(DESTDIR)$(PKGCONFIGDIR)/cgan.pc
	chmod 644 $(DESTDIR)$(PKGCONFIGDIR)/cgan.pc
	install -m 755 $(CLI) $(DESTDIR)$(BINDIR)/cgan

uninstall:
	rm -f $(DESTDIR)$(INCLUDEDIR)/cgan.h $(DESTDIR)$(LIBDIR)/libcgan.so* \
	      $(DESTDIR)$(LIBDIR)/libcgan.a $(DESTDIR)$(PKGCONFIGDIR)/cgan.pc $(DESTDIR)$(BINDIR)/cgan
	rm -rf $(DESTDIR)$(INCLUDEDIR)/cgan

# --------------------------------------------------------------------- deps
# Installs only what is missing; sudo when not root.  Idempotent.
deps:
	@sh tools/install-deps.sh $(DEB_PKGS)

deps-oracle:
	@sh tools/install-deps.sh $(DEB_ORACLE_PKGS)

# The end-to-end demo on synthetic data (docs/demo.md): out/demo/report.html.
demo: lib cli
	sh tools/demo.sh

# Re-run the independent oracles (PyTorch, ImageJ, scipy) that made the
# committed fixtures in tests/data.  Needs `make deps-oracle`.
oracles: lib cli
	@set -e; for s in $(sort $(wildcard tests/oracles/*.sh)); do echo "oracle: $$s"; sh $$s; done

clean:
	rm -rf $(BUILD) lib/libcgan.* lib/pkgconfig bin

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_OBJ:.o=.d)
