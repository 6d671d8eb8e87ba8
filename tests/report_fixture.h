/* A comparison report directory written by hand (conditions A and B with
 * known numbers), for the report tests. */
#ifndef CGAN_REPORT_FIXTURE_H
#define CGAN_REPORT_FIXTURE_H

#include "test_util.h"

#include <sys/stat.h>

static inline void put(const char *dir, const char *name, const char *text) {
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    ck_assert_ptr_nonnull(fp);
    fputs(text, fp);
    fclose(fp);
}

/* A comparison directory written by hand: conditions A and B. */
static inline void fake_compare(const char *dir) {
    put(dir, "means.csv",
        "Condition,Feature,Real,Generated,DeviationPct,CI95Lo,CI95Hi,FloorPct,NReal,NGenerated\n"
        "A,MeanArea,10,11,10,5,15,3,3,3\nA,Density,0.5,0.4,-20,nan,nan,nan,3,3\n"
        "A,MeanAR,2,2,0,0,0,1,3,3\n"
        "B,MeanArea,20,18,-10,-12,-8,4,3,3\nB,Density,0.25,0.25,0,0,0,2,3,3\n"
        "B,MeanAR,1.5,1.8,20,10,30,2,3,3\n");
    put(dir, "deviations.csv", "Feature,MAPD,FloorMAPD\nMeanArea,10,3.5\nDensity,10,2\nMeanAR,10,1.5\n");
    put(dir, "recognition.csv",
        "Set,Method,Condition,Images,Correct,Accuracy,Chance\n"
        "generated,nearest,A,3,2,0.666666666666666630,0.5\ngenerated,nearest,B,3,3,1,0.5\n"
        "generated,nearest,all,6,5,0.83333333333333337,0.5\n"
        "real,loo,A,3,3,1,0.5\nreal,loo,B,3,3,1,0.5\nreal,loo,all,6,6,1,0.5\n");
    put(dir, "confusion.csv", "Set,Condition,A,B\ngenerated,A,2,1\ngenerated,B,0,3\n"
                              "real,A,3,0\nreal,B,0,3\n");
    put(dir, "settings.csv", "Key,Value\nCGAN_ANALYSIS_MIN_SIZE,20\n"
                             "RecognitionFeatures,MeanArea Density\n");
    put(dir, "scatter_size.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n");
}

#endif
