/*
 * accounts.h - users, passwords (argon2id), sessions, API tokens and
 * log-in throttling.
 *
 * Secrets (passwords, session tokens, API tokens) are never stored or
 * logged: the database keeps an argon2id hash of each password and a
 * SHA-256 of each token (tokens are 256-bit random, so a fast hash is
 * enough to make a stolen table useless).
 */
#ifndef CSIRT_ACCOUNTS_H
#define CSIRT_ACCOUNTS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "csirt/actor.h"
#include "csirt/err.h"
#include "csirt/store.h"

#define SESSION_TTL_SECONDS (12 * 3600)
#define TOKEN_HEX_LEN 64
#define PASSWORD_MIN_LEN 10
#define PASSWORD_MAX_LEN 256

/* argon2id with t=2, m=19 MiB, p=1 (OWASP ASVS 5.0 appendix C minimum). */
enum csirt_rc password_hash(const char *password, char *out, size_t outsz);
int password_verify(const char *encoded, const char *password);

/* 32 random bytes as 64 hex characters (+NUL). */
void token_new(char out[TOKEN_HEX_LEN + 1]);
/* SHA-256 of a token as hex. */
void token_digest(const char *token, char out[65]);

/*
 * Creates the first administrator when no user exists. The password is
 * CSIRT_ADMIN_PASSWORD if set, else a random one-time password that is
 * written to *generated (caller prints it once) and must be changed at
 * first log-in. Does nothing when a user exists.
 */
enum csirt_rc accounts_bootstrap(struct store *st, char *generated, size_t gensz,
    int *created, struct csirt_err *err);

/* Checks the password; on success fills *who and a new session. */
enum csirt_rc accounts_login(struct store *st, const char *username, const char *password,
    const char *client_ip, struct actor *who, char session_token[TOKEN_HEX_LEN + 1],
    char csrf_token[TOKEN_HEX_LEN + 1], int64_t *retry_after, struct csirt_err *err);
enum csirt_rc accounts_logout(struct store *st, const char *session_token);
/* Resolves a session cookie; fills *who and the session's CSRF token. */
enum csirt_rc accounts_session(struct store *st, const char *session_token, struct actor *who,
    char csrf_token[TOKEN_HEX_LEN + 1]);
/* Resolves "Bearer <token>". */
enum csirt_rc accounts_api_token(struct store *st, const char *token, struct actor *who);

enum csirt_rc accounts_set_password(struct store *st, const struct actor *by, int64_t user_id,
    const char *password, int must_change, struct csirt_err *err);
/* Creates a user; 'rec' is validated input (entity_user). */
enum csirt_rc accounts_create_user(struct store *st, const struct actor *by, json_t *rec,
    const char *password, int64_t *id, struct csirt_err *err);
/* Issues an API token for user_id; 'token' receives the only copy. */
enum csirt_rc accounts_token_create(struct store *st, const struct actor *by, int64_t user_id,
    const char *name, char token[TOKEN_HEX_LEN + 8], int64_t *id, struct csirt_err *err);
enum csirt_rc accounts_token_revoke(struct store *st, const struct actor *by, int64_t id);

/* Loads the actor of user 'id'. */
enum csirt_rc accounts_actor(struct store *st, int64_t id, struct actor *who);

/* Throttling state is per process (memory); exposed for tests. */
void accounts_throttle_reset(void);

#endif
