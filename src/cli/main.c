/* bin/cgan: the whole workflow from the command line.
 * `cgan help` lists the commands; `cgan COMMAND --help` describes one. */
#include <stdio.h>
#include <string.h>

#include "cgan.h"
#include "commands.h"

static const cgan_cli_command commands[] = {
    {"version", "print the library version", cli_cmd_version},
    {"info", "configuration and parameter counts of a checkpoint", cli_cmd_info},
    {"generate", "images from a trained model for a condition", cli_cmd_generate},
    {"analyze", "measure grains in micrographs as ImageJ does", cli_cmd_analyze},
    {"compare", "compare real and generated micrographs per condition", cli_cmd_compare},
    {"prepare", "micrographs + manifest -> prepared data set (.npz)", cli_cmd_prepare},
    {"export", "patches of a prepared data set as PNGs per condition", cli_cmd_export},
    {"sheet", "sample sheet PNG of a prepared data set", cli_cmd_sheet},
    {"synth", "write synthetic micrographs with ground truth (alloy, spinodal)", cli_cmd_synth},
    {"report", "HTML report and summary.json from a comparison (and a training run)", cli_cmd_report},
    {"train", "train the model on a prepared data set (checkpoints, log, samples)", cli_cmd_train},
    {"bench", "time training and inference of the model on synthetic data", cli_cmd_bench},
};
static const int n_commands = (int)(sizeof commands / sizeof commands[0]);

int cli_fail(const char *cmd, const char *what) {
    const char *msg = cgan_last_error();
    fprintf(stderr, "cgan %s: %s%s%s\n", cmd, what, msg[0] ? ": " : "", msg);
    return 1;
}

int cli_usage(const char *cmd, const char *usage, const char *problem) {
    if (problem) fprintf(stderr, "cgan %s: %s\n", cmd, problem);
    fprintf(stderr, "usage: cgan %s %s\n", cmd, usage);
    return 2;
}

int cli_cmd_version(int argc, char **argv) {
    (void)argc;
    (void)argv;
    printf("cgan %s (libcgan %s)\n", CGAN_VERSION_STRING, cgan_version_string());
    return 0;
}

static void list_commands(FILE *fp) {
    fprintf(fp, "usage: cgan COMMAND [OPTIONS]   (cgan COMMAND --help for details)\n\ncommands:\n");
    for (int i = 0; i < n_commands; i++)
        fprintf(fp, "  %-10s %s\n", commands[i].name, commands[i].summary);
}

int main(int argc, char **argv) {
    if (argc < 2 || !strcmp(argv[1], "help") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        list_commands(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (!strcmp(argv[1], "--version")) return cli_cmd_version(0, NULL);
    for (int i = 0; i < n_commands; i++)
        if (!strcmp(argv[1], commands[i].name)) return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "cgan: unknown command '%s'\n", argv[1]);
    list_commands(stderr);
    return 2;
}
