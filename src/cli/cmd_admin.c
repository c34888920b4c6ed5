/*
 * cmd_admin.c - administration from the shell, for the server's operator:
 *   csirt user add NAME --role ROLE [--org ID] [--data DIR]   (password from
 *        CSIRT_PASSWORD or a generated one, printed once)
 *   csirt user password NAME [--data DIR]                      (same)
 *   csirt user token NAME TOKEN-NAME [--data DIR]             (prints the token)
 *   csirt db migrate|version|check [--data DIR]
 */
#include "csirt/common.h"
#include "csirt/accounts.h"
#include "csirt/store.h"
#include "cli/commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *
opt_value(int argc, char **argv, const char *name, const char *def)
{
	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return argv[i + 1];
	return def;
}

static int
open_store(int argc, char **argv, struct store **st)
{
	struct csirt_err err;

	csirt_err_clear(&err);
	if (store_open(opt_value(argc, argv, "--data", "./var"), st, &err) != CSIRT_OK) {
		fprintf(stderr, "csirt: %s\n", err.msg);
		return 1;
	}
	return 0;
}

static void
password_from_env(char *out, size_t outsz, int *generated)
{
	const char *env = getenv("CSIRT_PASSWORD");

	*generated = !(env && *env);
	if (!*generated) {
		snprintf(out, outsz, "%s", env);
	} else {
		char tok[TOKEN_HEX_LEN + 1];

		token_new(tok);
		snprintf(out, outsz, "%.20s", tok);
	}
}

static int64_t
user_id(struct store *st, const char *name)
{
	json_t *rows = NULL;
	int64_t id = 0;

	if (store_query_json(st, "SELECT id FROM users WHERE username = ?1", json_pack("[s]", name),
	    &rows) == CSIRT_OK)
		id = json_integer_value(json_object_get(json_array_get(rows, 0), "id"));
	json_decref(rows);
	return id;
}

int
cmd_user(int argc, char **argv)
{
	struct store *st = NULL;
	struct csirt_err err;
	struct actor system = { 0 };
	char pw[128], token[TOKEN_HEX_LEN + 8];
	int generated, rc = 1;
	int64_t id;

	snprintf(system.username, sizeof(system.username), "cli");
	system.role = ROLE_ADMIN;
	if (argc < 3) {
		fprintf(stderr, "usage: csirt user add NAME --role ROLE [--org ID] [--data DIR]\n"
		    "       csirt user password NAME [--data DIR]\n"
		    "       csirt user token NAME TOKEN-NAME [--data DIR]\n"
		    "  passwords come from CSIRT_PASSWORD, or are generated and printed once\n");
		return 2;
	}
	if (open_store(argc, argv, &st) != 0)
		return 1;
	csirt_err_clear(&err);
	if (strcmp(argv[1], "add") == 0) {
		const char *role = opt_value(argc, argv, "--role", NULL);
		const char *org = opt_value(argc, argv, "--org", NULL);
		json_t *rec;
		int64_t org_id = 0;

		if (role == NULL || role_parse(role) == ROLE_NONE ||
		    (org && parse_int64(org, 1, INT64_MAX, &org_id) != CSIRT_OK)) {
			fprintf(stderr, "csirt user add: --role admin|coordinator|responder|unit_officer|auditor"
			    " and --org ID (a number)\n");
			rc = 2;
			goto out;
		}
		password_from_env(pw, sizeof(pw), &generated);
		rec = json_pack("{s:s,s:s}", "username", argv[2], "role", role);
		if (org_id)
			json_object_set_new(rec, "org_id", json_integer(org_id));
		if (accounts_create_user(st, &system, rec, pw, &id, &err) == CSIRT_OK) {
			printf("user %s created (id %lld)\n", argv[2], (long long)id);
			if (generated)
				printf("password: %s\n", pw);
			rc = 0;
		} else {
			fprintf(stderr, "csirt user add: %s\n", err.msg[0] ? err.msg : "failed");
		}
		json_decref(rec);
	} else if (strcmp(argv[1], "password") == 0) {
		id = user_id(st, argv[2]);
		password_from_env(pw, sizeof(pw), &generated);
		if (id == 0) {
			fprintf(stderr, "csirt user password: no user %s\n", argv[2]);
		} else if (accounts_set_password(st, &system, id, pw, generated, &err) == CSIRT_OK) {
			printf("password of %s changed%s%s\n", argv[2], generated ? "; one-time password: " : "",
			    generated ? pw : "");
			rc = 0;
		} else {
			fprintf(stderr, "csirt user password: %s\n", err.msg);
		}
	} else if (strcmp(argv[1], "token") == 0 && argc >= 4) {
		id = user_id(st, argv[2]);
		if (id == 0) {
			fprintf(stderr, "csirt user token: no user %s\n", argv[2]);
		} else if (accounts_token_create(st, &system, id, argv[3], token, &id, &err) == CSIRT_OK) {
			printf("%s\n", token);
			rc = 0;
		} else {
			fprintf(stderr, "csirt user token: %s\n", err.msg);
		}
	} else {
		fprintf(stderr, "csirt user: unknown action '%s'\n", argv[1]);
		rc = 2;
	}
out:
	store_close(st);
	return rc;
}

int
cmd_db(int argc, char **argv)
{
	struct store *st = NULL;
	char msg[256];
	int rc = 0;

	if (argc < 2 || (strcmp(argv[1], "migrate") && strcmp(argv[1], "version") &&
	    strcmp(argv[1], "check"))) {
		fprintf(stderr, "usage: csirt db migrate|version|check [--data DIR]\n");
		return 2;
	}
	/* Opening applies the pending migrations. */
	if (open_store(argc, argv, &st) != 0)
		return 1;
	if (strcmp(argv[1], "check") == 0) {
		rc = store_integrity_check(st, msg, sizeof(msg)) == CSIRT_OK ? 0 : 1;
		printf("integrity_check: %s\n", msg);
	} else {
		printf("schema %d (this csirt ships %d)\n", store_schema_version(st), store_schema_latest());
	}
	store_close(st);
	return rc;
}
