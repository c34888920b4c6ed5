/*
 * commands.h - the subcommands of the csirt program. Each lives in its own
 * file under src/cli/ and takes the arguments after its name (argv[0] is the
 * subcommand). Returns the process exit status: 0 success, 1 failure,
 * 2 usage error.
 */
#ifndef CSIRT_CLI_COMMANDS_H
#define CSIRT_CLI_COMMANDS_H

struct command {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);
};

/* The table, in the order --help lists it; ends with a NULL name. */
extern const struct command csirt_commands[];

/* The subcommands, one per src/cli/cmd_<name>.c. */
int cmd_serve(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_db(int argc, char **argv);
int cmd_intake(int argc, char **argv);
int cmd_hunt(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_inventory(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_warnings(int argc, char **argv);
int cmd_notify(int argc, char **argv);

#endif
