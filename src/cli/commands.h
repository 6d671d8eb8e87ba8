/* The subcommands of bin/cgan.  Each lives in its own cmd_NAME.c and uses
 * only the public API.  A command returns the process exit status:
 * 0 success, 1 failure (message already printed), 2 usage error. */
#ifndef CGAN_CLI_COMMANDS_H
#define CGAN_CLI_COMMANDS_H

typedef struct cgan_cli_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv); /* argv[0] is the command name */
} cgan_cli_command;

int cli_cmd_version(int argc, char **argv);
int cli_cmd_export(int argc, char **argv);
int cli_cmd_info(int argc, char **argv);
int cli_cmd_generate(int argc, char **argv);
int cli_cmd_analyze(int argc, char **argv);
int cli_cmd_compare(int argc, char **argv);
/* Shared measurement options of analyze/compare (analysis_opts.c). */
struct cgan_analysis_opts;
int cli_analysis_option(const char *cmd, struct cgan_analysis_opts *o, int argc, char **argv, int *i);
extern const char *const cli_analysis_help;
int cli_cmd_prepare(int argc, char **argv);
int cli_cmd_sheet(int argc, char **argv);
int cli_cmd_synth(int argc, char **argv);
int cli_cmd_report(int argc, char **argv);
int cli_cmd_train(int argc, char **argv);
int cli_cmd_bench(int argc, char **argv);

/* Print "cgan NAME: message" with the library's last error, return 1. */
int cli_fail(const char *cmd, const char *what);
/* Print a usage error for the command, return 2. */
int cli_usage(const char *cmd, const char *usage, const char *problem);
/* --set NAME=VALUE on a configuration (config_set.c): 0, or 2 after a usage
 * error that names the setting and why (the library's message). */
struct cgan_config;
int cli_config_set(const char *cmd, const char *usage, struct cgan_config *c, const char *arg);

#endif
