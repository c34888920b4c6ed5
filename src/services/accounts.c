/*
 * accounts.c - users, passwords, sessions, API tokens, log-in throttling.
 */
#include "csirt/common.h"
#include "csirt/accounts.h"
#include "csirt/entities.h"

#include <argon2.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARGON_T 2
#define ARGON_M_KIB 19456
#define ARGON_P 1
#define ARGON_SALT 16
#define ARGON_HASH 32

/* Five failures in fifteen minutes lock the account name and the client
 * address for the rest of the window (OWASP ASVS 6.3 style throttling;
 * a lock by name alone would let anyone lock out any user). */
#define THROTTLE_MAX_FAILS 5
#define THROTTLE_WINDOW 900
#define THROTTLE_SLOTS 1024

struct throttle_slot {
	char key[96];
	int fails;
	int64_t window_start;
};

static struct throttle_slot throttle[THROTTLE_SLOTS];
static pthread_mutex_t throttle_lock = PTHREAD_MUTEX_INITIALIZER;

void
accounts_throttle_reset(void)
{
	pthread_mutex_lock(&throttle_lock);
	memset(throttle, 0, sizeof(throttle));
	pthread_mutex_unlock(&throttle_lock);
}

static struct throttle_slot *
throttle_find(const char *key, int create)
{
	unsigned char h[crypto_shorthash_BYTES];
	static unsigned char k[crypto_shorthash_KEYBYTES];
	static int have_key;
	size_t idx;

	if (!have_key) {
		randombytes_buf(k, sizeof(k));
		have_key = 1;
	}
	crypto_shorthash(h, (const unsigned char *)key, strlen(key), k);
	memcpy(&idx, h, sizeof(idx));
	/* Open addressing over a small table; the oldest entry is evicted. */
	for (size_t probe = 0; probe < 8; probe++) {
		struct throttle_slot *s = &throttle[(idx + probe) % THROTTLE_SLOTS];

		if (strcmp(s->key, key) == 0)
			return s;
		if (create && (s->key[0] == '\0' || time_now() - s->window_start > THROTTLE_WINDOW)) {
			snprintf(s->key, sizeof(s->key), "%s", key);
			s->fails = 0;
			s->window_start = time_now();
			return s;
		}
	}
	return create ? &throttle[idx % THROTTLE_SLOTS] : NULL;
}

/* Seconds until 'key' may try again, 0 if it may now. */
static int64_t
throttle_wait(const char *key)
{
	struct throttle_slot *s;
	int64_t wait = 0, now = time_now();

	pthread_mutex_lock(&throttle_lock);
	s = throttle_find(key, 0);
	if (s && s->fails >= THROTTLE_MAX_FAILS && now - s->window_start < THROTTLE_WINDOW)
		wait = THROTTLE_WINDOW - (now - s->window_start);
	pthread_mutex_unlock(&throttle_lock);
	return wait;
}

static void
throttle_fail(const char *key)
{
	struct throttle_slot *s;
	int64_t now = time_now();

	pthread_mutex_lock(&throttle_lock);
	s = throttle_find(key, 1);
	if (strcmp(s->key, key) != 0 || now - s->window_start >= THROTTLE_WINDOW) {
		snprintf(s->key, sizeof(s->key), "%s", key);
		s->fails = 0;
		s->window_start = now;
	}
	s->fails++;
	pthread_mutex_unlock(&throttle_lock);
}

static void
throttle_clear(const char *key)
{
	struct throttle_slot *s;

	pthread_mutex_lock(&throttle_lock);
	s = throttle_find(key, 0);
	if (s)
		memset(s, 0, sizeof(*s));
	pthread_mutex_unlock(&throttle_lock);
}

enum csirt_rc
password_hash(const char *password, char *out, size_t outsz)
{
	unsigned char salt[ARGON_SALT];

	randombytes_buf(salt, sizeof(salt));
	if (argon2id_hash_encoded(ARGON_T, ARGON_M_KIB, ARGON_P, password, strlen(password), salt,
	    sizeof(salt), ARGON_HASH, out, outsz) != ARGON2_OK)
		return CSIRT_EINTERNAL;
	return CSIRT_OK;
}

int
password_verify(const char *encoded, const char *password)
{
	if (encoded == NULL || encoded[0] == '\0')
		return 0;
	return argon2id_verify(encoded, password, strlen(password)) == ARGON2_OK;
}

void
token_new(char out[TOKEN_HEX_LEN + 1])
{
	unsigned char raw[TOKEN_HEX_LEN / 2];

	randombytes_buf(raw, sizeof(raw));
	hex_encode(raw, sizeof(raw), out);
}

void
token_digest(const char *token, char out[65])
{
	unsigned char d[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(d, (const unsigned char *)token, strlen(token));
	hex_encode(d, sizeof(d), out);
}

static enum csirt_rc
check_password_rules(const char *password, struct csirt_err *err)
{
	size_t n = strlen(password);

	if (n < PASSWORD_MIN_LEN)
		return csirt_err_set(err, CSIRT_EINVAL, "password",
		    "the password must have at least %d characters", PASSWORD_MIN_LEN);
	if (n > PASSWORD_MAX_LEN || !utf8_valid(password, n))
		return csirt_err_set(err, CSIRT_EINVAL, "password", "the password is not acceptable");
	return CSIRT_OK;
}

enum csirt_rc
accounts_actor(struct store *st, int64_t id, struct actor *who)
{
	json_t *u = NULL;
	enum csirt_rc rc = store_get(st, &entity_user, id, &u);

	if (rc != CSIRT_OK)
		return rc;
	if (json_is_true(json_object_get(u, "disabled"))) {
		json_decref(u);
		return CSIRT_EUNAUTH;
	}
	memset(who, 0, sizeof(*who));
	who->user_id = id;
	snprintf(who->username, sizeof(who->username), "%s",
	    json_string_value(json_object_get(u, "username")));
	who->role = role_parse(json_string_value(json_object_get(u, "role")));
	who->org_id = json_integer_value(json_object_get(u, "org_id"));
	json_decref(u);
	return who->role == ROLE_NONE ? CSIRT_EUNAUTH : CSIRT_OK;
}

static void
audit_simple(struct store *st, const struct actor *by, const char *action, const char *entity,
    int64_t id, json_t *after)
{
	struct audit_entry e = {
		.actor_id = by ? by->user_id : 0,
		.actor = by ? by->username : "system",
		.action = action, .entity = entity, .entity_id = id, .after = after,
	};
	store_audit_append(st, &e);
}

enum csirt_rc
accounts_create_user(struct store *st, const struct actor *by, json_t *rec, const char *password,
    int64_t *id, struct csirt_err *err)
{
	char hash[256];
	enum csirt_rc rc;
	json_t *full;

	if (password) {
		rc = check_password_rules(password, err);
		if (rc != CSIRT_OK)
			return rc;
		rc = password_hash(password, hash, sizeof(hash));
		if (rc != CSIRT_OK)
			return rc;
	} else {
		hash[0] = '\0';	/* cannot log in until a password is set */
	}
	full = json_deep_copy(rec);
	if (full == NULL)
		return CSIRT_ENOMEM;
	rc = store_begin(st);
	if (rc != CSIRT_OK)
		goto out;
	rc = store_insert(st, &entity_user, full, id);
	if (rc == CSIRT_ECONFLICT) {
		csirt_err_set(err, rc, "username", "that user name is taken or the organisation does not exist");
		goto out_rollback;
	}
	if (rc != CSIRT_OK)
		goto out_rollback;
	rc = store_exec(st, "UPDATE users SET password_hash = ?1 WHERE id = ?2",
	    json_pack("[s,I]", hash, (json_int_t)*id), NULL, NULL) ;
	if (rc != CSIRT_OK)
		goto out_rollback;
	audit_simple(st, by, "create", "user", *id, full);
	rc = store_commit(st);
	goto out;
out_rollback:
	store_rollback(st);
out:
	json_decref(full);
	return rc;
}

enum csirt_rc
accounts_bootstrap(struct store *st, char *generated, size_t gensz, int *created,
    struct csirt_err *err)
{
	json_t *rows = NULL, *rec;
	const char *env = getenv("CSIRT_ADMIN_PASSWORD");
	char pw[TOKEN_HEX_LEN + 1];
	int64_t id;
	enum csirt_rc rc;
	int must_change = 0;

	*created = 0;
	generated[0] = '\0';
	rc = store_query_json(st, "SELECT count(*) AS n FROM users", NULL, &rows);
	if (rc != CSIRT_OK)
		return rc;
	if (json_integer_value(json_object_get(json_array_get(rows, 0), "n")) > 0) {
		json_decref(rows);
		return CSIRT_OK;
	}
	json_decref(rows);
	if (env && *env) {
		snprintf(pw, sizeof(pw), "%s", env);
	} else {
		token_new(pw);
		pw[20] = '\0';	/* 80 bits of entropy, short enough to type once */
		snprintf(generated, gensz, "%s", pw);
		must_change = 1;
	}
	rec = json_pack("{s:s,s:s,s:s}", "username", "admin", "full_name", "Quản trị hệ thống",
	    "role", "admin");
	rc = accounts_create_user(st, NULL, rec, pw, &id, err);
	json_decref(rec);
	sodium_memzero(pw, sizeof(pw));
	if (rc != CSIRT_OK)
		return rc;
	if (must_change)
		store_exec(st, "UPDATE users SET must_change_password = 1 WHERE id = ?1",
		    json_pack("[I]", (json_int_t)id), NULL, NULL);
	*created = 1;
	return CSIRT_OK;
}

static char dummy_hash[256];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void
dummy_make(void)
{
	char pw[TOKEN_HEX_LEN + 1];

	token_new(pw);
	password_hash(pw, dummy_hash, sizeof(dummy_hash));
}

enum csirt_rc
accounts_login(struct store *st, const char *username, const char *password,
    const char *client_ip, struct actor *who, char session_token[TOKEN_HEX_LEN + 1],
    char csrf_token[TOKEN_HEX_LEN + 1], int64_t *retry_after, struct csirt_err *err)
{
	char key_user[96], key_ip[96], digest[65];
	json_t *rows = NULL, *row;
	int64_t wait_u, wait_i, uid, now = time_now();
	int ok;
	enum csirt_rc rc;

	*retry_after = 0;
	snprintf(key_user, sizeof(key_user), "u:%.80s", username);
	snprintf(key_ip, sizeof(key_ip), "ip:%.80s", client_ip ? client_ip : "");
	wait_u = throttle_wait(key_user);
	wait_i = throttle_wait(key_ip);
	if (wait_u || wait_i) {
		*retry_after = wait_u > wait_i ? wait_u : wait_i;
		return csirt_err_set(err, CSIRT_ELIMIT, NULL,
		    "too many failed log-in attempts; try again in %lld minutes",
		    (long long)((*retry_after + 59) / 60));
	}
	rc = store_query_json(st, "SELECT id, password_hash, disabled FROM users WHERE username = ?1",
	    json_pack("[s]", username), &rows);
	if (rc != CSIRT_OK)
		return rc;
	row = json_array_get(rows, 0);
	/* Verify against a dummy hash when the user does not exist, so that
	 * the response time does not reveal which names exist. */
	pthread_once(&dummy_once, dummy_make);
	ok = password_verify(row ? json_string_value(json_object_get(row, "password_hash")) :
	    dummy_hash, password);
	if (row == NULL)
		ok = 0;
	uid = row ? json_integer_value(json_object_get(row, "id")) : 0;
	if (row && json_integer_value(json_object_get(row, "disabled")))
		ok = 0;
	json_decref(rows);
	if (!ok) {
		throttle_fail(key_user);
		throttle_fail(key_ip);
		return csirt_err_set(err, CSIRT_EUNAUTH, NULL, "wrong user name or password");
	}
	throttle_clear(key_user);
	rc = accounts_actor(st, uid, who);
	if (rc != CSIRT_OK)
		return csirt_err_set(err, CSIRT_EUNAUTH, NULL, "wrong user name or password");
	token_new(session_token);
	token_new(csrf_token);
	token_digest(session_token, digest);
	rc = store_begin(st);
	if (rc != CSIRT_OK)
		return rc;
	/* Expired sessions are swept on each log-in: cheap and bounded. */
	store_exec(st, "DELETE FROM sessions WHERE expires_at < ?1", json_pack("[I]", (json_int_t)now),
	    NULL, NULL);
	rc = store_exec(st, "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at,"
	    " expires_at) VALUES (?1, ?2, ?3, ?4, ?5)", json_pack("[s,I,s,I,I]", digest,
	    (json_int_t)uid, csrf_token, (json_int_t)now, (json_int_t)(now + SESSION_TTL_SECONDS)),
	    NULL, NULL);
	if (rc == CSIRT_OK)
		audit_simple(st, who, "login", "user", uid, NULL);
	if (rc != CSIRT_OK) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st);
}

enum csirt_rc
accounts_logout(struct store *st, const char *session_token)
{
	char digest[65];

	token_digest(session_token, digest);
	return store_exec(st, "DELETE FROM sessions WHERE token_hash = ?1", json_pack("[s]", digest),
	    NULL, NULL);
}

/*
 * Who a session or API token belongs to, remembered per thread while the
 * database does not change (store_change_stamp): every API request is
 * authenticated, and the two lookups cost as much as a small list page.
 * Any write anywhere (a revoked token, a disabled user, a log-out) changes
 * the stamp and empties the cache, so nothing stale is ever answered.
 */
#define CRED_CACHE 8

struct cred_entry {
	char digest[65];	/* "" = empty slot */
	char kind;		/* 's' session, 't' API token */
	struct actor who;
	char csrf[TOKEN_HEX_LEN + 1];
	int64_t expires_at;	/* sessions; 0 = never */
	unsigned long used;
};

static _Thread_local struct {
	struct cred_entry e[CRED_CACHE];
	int64_t stamp[2];
	unsigned long clock;
} creds;

static struct cred_entry *
cred_lookup(struct store *st, char kind, const char *digest)
{
	int64_t stamp[2];

	store_change_stamp(st, stamp);
	if (stamp[0] < 0 || stamp[0] != creds.stamp[0] || stamp[1] != creds.stamp[1]) {
		memset(creds.e, 0, sizeof(creds.e));
		creds.stamp[0] = stamp[0];
		creds.stamp[1] = stamp[1];
		return NULL;
	}
	for (int i = 0; i < CRED_CACHE; i++) {
		struct cred_entry *c = &creds.e[i];

		if (c->kind == kind && strcmp(c->digest, digest) == 0 &&
		    (c->expires_at == 0 || c->expires_at > time_now())) {
			c->used = ++creds.clock;
			return c;
		}
	}
	return NULL;
}

static void
cred_remember(char kind, const char *digest, const struct actor *who, const char *csrf,
    int64_t expires_at)
{
	struct cred_entry *c = &creds.e[0];

	if (creds.stamp[0] < 0)
		return;
	for (int i = 1; i < CRED_CACHE; i++)
		if (creds.e[i].used < c->used)
			c = &creds.e[i];
	snprintf(c->digest, sizeof(c->digest), "%s", digest);
	c->kind = kind;
	c->who = *who;
	snprintf(c->csrf, sizeof(c->csrf), "%s", csrf ? csrf : "");
	c->expires_at = expires_at;
	c->used = ++creds.clock;
}

enum csirt_rc
accounts_session(struct store *st, const char *session_token, struct actor *who,
    char csrf_token[TOKEN_HEX_LEN + 1])
{
	char digest[65];
	json_t *rows = NULL, *row;
	struct cred_entry *hit;
	enum csirt_rc rc;
	int64_t uid, expires;

	if (strlen(session_token) != TOKEN_HEX_LEN)
		return CSIRT_EUNAUTH;
	token_digest(session_token, digest);
	if ((hit = cred_lookup(st, 's', digest)) != NULL) {
		*who = hit->who;
		snprintf(csrf_token, TOKEN_HEX_LEN + 1, "%s", hit->csrf);
		return CSIRT_OK;
	}
	rc = store_query_json(st, "SELECT user_id, csrf_token, expires_at FROM sessions"
	    " WHERE token_hash = ?1 AND expires_at > ?2",
	    json_pack("[s,I]", digest, (json_int_t)time_now()), &rows);
	if (rc != CSIRT_OK)
		return rc;
	row = json_array_get(rows, 0);
	if (row == NULL) {
		json_decref(rows);
		return CSIRT_EUNAUTH;
	}
	uid = json_integer_value(json_object_get(row, "user_id"));
	expires = json_integer_value(json_object_get(row, "expires_at"));
	snprintf(csrf_token, TOKEN_HEX_LEN + 1, "%s",
	    json_string_value(json_object_get(row, "csrf_token")));
	json_decref(rows);
	rc = accounts_actor(st, uid, who);
	if (rc == CSIRT_OK)
		cred_remember('s', digest, who, csrf_token, expires > 0 ? expires : 1);
	return rc;
}

enum csirt_rc
accounts_api_token(struct store *st, const char *token, struct actor *who)
{
	char digest[65];
	json_t *rows = NULL, *row;
	struct cred_entry *hit;
	enum csirt_rc rc;
	int64_t uid;

	if (strncmp(token, "csirt_", 6) != 0 || strlen(token) != TOKEN_HEX_LEN + 6)
		return CSIRT_EUNAUTH;
	token_digest(token, digest);
	if ((hit = cred_lookup(st, 't', digest)) != NULL) {
		*who = hit->who;
		return CSIRT_OK;
	}
	rc = store_query_json(st, "SELECT user_id FROM api_tokens WHERE token_hash = ?1 AND revoked = 0",
	    json_pack("[s]", digest), &rows);
	if (rc != CSIRT_OK)
		return rc;
	row = json_array_get(rows, 0);
	uid = row ? json_integer_value(json_object_get(row, "user_id")) : 0;
	json_decref(rows);
	if (uid == 0)
		return CSIRT_EUNAUTH;
	rc = accounts_actor(st, uid, who);
	if (rc == CSIRT_OK)
		cred_remember('t', digest, who, NULL, 0);
	return rc;
}

enum csirt_rc
accounts_set_password(struct store *st, const struct actor *by, int64_t user_id,
    const char *password, int must_change, struct csirt_err *err)
{
	char hash[256];
	enum csirt_rc rc = check_password_rules(password, err);
	int64_t changes = 0;

	if (rc != CSIRT_OK)
		return rc;
	rc = password_hash(password, hash, sizeof(hash));
	if (rc != CSIRT_OK)
		return rc;
	rc = store_begin(st);
	if (rc != CSIRT_OK)
		return rc;
	rc = store_exec(st, "UPDATE users SET password_hash = ?1, must_change_password = ?2,"
	    " updated_at = ?3 WHERE id = ?4", json_pack("[s,i,I,I]", hash, must_change,
	    (json_int_t)time_now(), (json_int_t)user_id), &changes, NULL);
	if (rc == CSIRT_OK && changes == 0)
		rc = CSIRT_ENOTFOUND;
	if (rc == CSIRT_OK) /* other sessions of this user end with the old password */
		rc = store_exec(st, "DELETE FROM sessions WHERE user_id = ?1",
		    json_pack("[I]", (json_int_t)user_id), NULL, NULL);
	if (rc == CSIRT_OK)
		audit_simple(st, by, "set_password", "user", user_id, NULL);
	if (rc != CSIRT_OK) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st);
}

enum csirt_rc
accounts_token_create(struct store *st, const struct actor *by, int64_t user_id, const char *name,
    char token[TOKEN_HEX_LEN + 8], int64_t *id, struct csirt_err *err)
{
	char raw[TOKEN_HEX_LEN + 1], digest[65];
	enum csirt_rc rc;
	json_t *after;

	if (name == NULL || *name == '\0' || strlen(name) > 100 || !utf8_valid(name, strlen(name)))
		return csirt_err_set(err, CSIRT_EINVAL, "name", "a token needs a name of 1-100 characters");
	token_new(raw);
	snprintf(token, TOKEN_HEX_LEN + 8, "csirt_%s", raw);
	token_digest(token, digest);
	rc = store_begin(st);
	if (rc != CSIRT_OK)
		return rc;
	rc = store_exec(st, "INSERT INTO api_tokens (user_id, name, token_hash, created_at)"
	    " VALUES (?1, ?2, ?3, ?4)", json_pack("[I,s,s,I]", (json_int_t)user_id, name, digest,
	    (json_int_t)time_now()), NULL, id);
	if (rc == CSIRT_OK) {
		after = json_pack("{s:I,s:s}", "user_id", (json_int_t)user_id, "name", name);
		audit_simple(st, by, "create", "api_token", *id, after);
		json_decref(after);
		return store_commit(st);
	}
	store_rollback(st);
	return rc;
}

enum csirt_rc
accounts_token_revoke(struct store *st, const struct actor *by, int64_t id)
{
	int64_t changes = 0;
	enum csirt_rc rc = store_begin(st);
	json_t *params;

	if (rc != CSIRT_OK)
		return rc;
	/* Only the owner or an administrator may revoke. */
	params = json_pack("[I,I,i]", (json_int_t)id, (json_int_t)by->user_id, by->role == ROLE_ADMIN);
	rc = store_exec(st, "UPDATE api_tokens SET revoked = 1 WHERE id = ?1 AND (user_id = ?2 OR ?3)",
	    params, &changes, NULL);
	if (rc == CSIRT_OK && changes == 0)
		rc = CSIRT_ENOTFOUND;
	if (rc == CSIRT_OK)
		audit_simple(st, by, "revoke", "api_token", id, NULL);
	if (rc != CSIRT_OK) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st);
}
