/*
 * observable.c - indicators (IP, domain, URL, e-mail address, hash) found in
 * free text and normalised so that one indicator has one spelling.
 *
 * Extraction cuts the text into tokens at white space, quotes, brackets
 * other than [] (kept for the defanged "[.]" and for "[2001:db8::1]") and
 * every non-ASCII byte (so "chỉ1.2.3.4" still yields the address), then
 * tries each token as a URL, an e-mail address, a hash, an IP address and a
 * domain, in that order. A token that is none of these but holds ':', '='
 * or '/' ("IP:1.2.3.4", "host=evil.vn", "evil.vn/login.php") is cut there
 * and each piece is tried once more.
 */
#include "csirt/common.h"

#include <arpa/inet.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "csirt/observable.h"
#include "intake/observable_tld.h"

/* Longest token looked at; longer runs of text are not indicators. */
#define TOKEN_MAX 4096

static const char *const type_codes[OBS_TYPE_COUNT] = {
	[OBS_IP] = "ip",
	[OBS_DOMAIN] = "domain",
	[OBS_URL] = "url",
	[OBS_HASH_MD5] = "md5",
	[OBS_HASH_SHA1] = "sha1",
	[OBS_HASH_SHA256] = "sha256",
	[OBS_EMAIL] = "email",
	[OBS_FILE] = "file",
};

const char *
observable_type_code(enum observable_type type)
{
	if ((unsigned)type >= OBS_TYPE_COUNT)
		return "";
	return type_codes[type];
}

enum csirt_rc
observable_type_parse(const char *code, enum observable_type *out)
{
	for (int i = 0; i < OBS_TYPE_COUNT; i++) {
		if (strcmp(code, type_codes[i]) == 0) {
			*out = (enum observable_type)i;
			return CSIRT_OK;
		}
	}
	return CSIRT_EINVAL;
}

static char
lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool
is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool
is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
prefix_ci(const char *s, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	if (len < n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (lower(s[i]) != prefix[i])
			return false;
	return true;
}

/*
 * Defanging, as analysts write indicators so that nobody clicks them. Each
 * pattern (matched in any case) becomes its replacement.
 */
static const struct {
	const char *from;
	const char *to;
} fangs[] = {
	{ "[.]", "." }, { "[dot]", "." }, { "[:]", ":" }, { "[://]", "://" },
	{ "[@]", "@" }, { "[at]", "@" }, { "[/]", "/" },
};

/* Re-fangs (in, len) into out (outsz bytes, NUL-terminated); *outlen set. */
static enum csirt_rc
refang(const char *in, size_t len, char *out, size_t outsz, size_t *outlen)
{
	size_t i = 0, o = 0;

	if (prefix_ci(in, len, "hxxp")) {
		if (outsz < 5)
			return CSIRT_ETOOBIG;
		memcpy(out, "http", 4);
		o = 4;
		i = 4;
	}
	while (i < len) {
		const char *rep = NULL;
		size_t skip = 1, rlen;

		if (in[i] == '[') {
			for (size_t f = 0; f < ARRAY_SIZE(fangs); f++) {
				if (prefix_ci(in + i, len - i, fangs[f].from)) {
					rep = fangs[f].to;
					skip = strlen(fangs[f].from);
					break;
				}
			}
		}
		rlen = rep ? strlen(rep) : 1;
		if (o + rlen >= outsz)
			return CSIRT_ETOOBIG;
		if (rep)
			memcpy(out + o, rep, rlen);
		else
			out[o] = in[i];
		o += rlen;
		i += skip;
	}
	out[o] = '\0';
	*outlen = o;
	return CSIRT_OK;
}

/* Domain name rules on (s, n), already re-fanged; writes lower case. */
static enum csirt_rc
domain_normalise(const char *s, size_t n, char *out, size_t outsz)
{
	size_t labels = 0, label_len = 0, last_start = 0;
	bool all_digits = true;

	while (n > 0 && s[n - 1] == '.')
		n--;
	if (n == 0 || n > 253)
		return CSIRT_EINVAL;
	if (n >= outsz)
		return CSIRT_ETOOBIG;
	for (size_t i = 0; i <= n; i++) {
		char c = i < n ? s[i] : '.';

		if (c == '.') {
			if (label_len == 0 || label_len > 63 || s[i - 1] == '-')
				return CSIRT_EINVAL;
			labels++;
			last_start = i - label_len;
			label_len = 0;
			continue;
		}
		if (!is_alnum(c) && c != '-')
			return CSIRT_EINVAL;
		if (c == '-' && label_len == 0)
			return CSIRT_EINVAL;
		label_len++;
		out[i] = lower(c);
	}
	if (labels < 2)
		return CSIRT_EINVAL;
	for (size_t i = last_start; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			all_digits = false;
	if (all_digits)		/* "1.2.3.4.5" is a version, not a name */
		return CSIRT_EINVAL;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '.')
			out[i] = '.';
	out[n] = '\0';
	return CSIRT_OK;
}

static enum csirt_rc
ip_normalise(const char *s, size_t n, char *out, size_t outsz)
{
	char tmp[64];
	unsigned char addr[16];
	char text[INET6_ADDRSTRLEN];

	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		s++;
		n -= 2;
	}
	if (n == 0 || n >= sizeof(tmp))
		return CSIRT_EINVAL;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	if (inet_pton(AF_INET, tmp, addr) == 1) {
		inet_ntop(AF_INET, addr, text, sizeof(text));
	} else if (inet_pton(AF_INET6, tmp, addr) == 1) {
		inet_ntop(AF_INET6, addr, text, sizeof(text));
	} else {
		return CSIRT_EINVAL;
	}
	if (strlen(text) >= outsz)
		return CSIRT_ETOOBIG;
	memcpy(out, text, strlen(text) + 1);
	return CSIRT_OK;
}

/* A host as found in a URL: an IPv4, a bracketed IPv6 or a domain. */
static enum csirt_rc
host_normalise(const char *s, size_t n, char *out, size_t outsz, bool *is_ip)
{
	char ip[INET6_ADDRSTRLEN];

	*is_ip = false;
	if (ip_normalise(s, n, ip, sizeof(ip)) == CSIRT_OK) {
		*is_ip = true;
		if (s[0] == '[') {
			if (strlen(ip) + 3 > outsz)
				return CSIRT_ETOOBIG;
			snprintf(out, outsz, "[%s]", ip);
			return CSIRT_OK;
		}
		if (strlen(ip) + 1 > outsz)
			return CSIRT_ETOOBIG;
		memcpy(out, ip, strlen(ip) + 1);
		return CSIRT_OK;
	}
	return domain_normalise(s, n, out, outsz);
}

static const char *const url_schemes[] = { "http", "https", "ftp", "ftps" };

static enum csirt_rc
url_normalise(const char *s, size_t n, char *out, size_t outsz)
{
	size_t scheme_len = 0, auth_start, auth_end, host_start, host_end, i;
	char host[300];
	bool known = false, is_ip;
	struct buf b;
	enum csirt_rc rc;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
			return CSIRT_EINVAL;
	while (scheme_len < n && s[scheme_len] != ':')
		scheme_len++;
	if (scheme_len + 3 > n || memcmp(s + scheme_len, "://", 3) != 0)
		return CSIRT_EINVAL;
	for (i = 0; i < ARRAY_SIZE(url_schemes); i++)
		if (strlen(url_schemes[i]) == scheme_len &&
		    prefix_ci(s, scheme_len, url_schemes[i]))
			known = true;
	if (!known)
		return CSIRT_EINVAL;
	auth_start = scheme_len + 3;
	auth_end = auth_start;
	while (auth_end < n && s[auth_end] != '/' && s[auth_end] != '?' && s[auth_end] != '#')
		auth_end++;
	host_start = auth_start;
	for (i = auth_start; i < auth_end; i++)	/* user:password@ */
		if (s[i] == '@')
			host_start = i + 1;
	host_end = host_start;
	if (host_end < auth_end && s[host_end] == '[') {
		while (host_end < auth_end && s[host_end] != ']')
			host_end++;
		if (host_end == auth_end)
			return CSIRT_EINVAL;
		host_end++;
	} else {
		while (host_end < auth_end && s[host_end] != ':')
			host_end++;
	}
	rc = host_normalise(s + host_start, host_end - host_start, host, sizeof(host), &is_ip);
	if (rc != CSIRT_OK)
		return CSIRT_EINVAL;
	buf_init(&b, outsz - 1);
	for (i = 0; i < scheme_len && rc == CSIRT_OK; i++) {
		char c = lower(s[i]);

		rc = buf_append(&b, &c, 1);
	}
	if (rc == CSIRT_OK)
		rc = buf_append(&b, s + scheme_len, host_start - scheme_len);
	if (rc == CSIRT_OK)
		rc = buf_append_str(&b, host);
	if (rc == CSIRT_OK)
		rc = buf_append(&b, s + host_end, n - host_end);
	if (rc == CSIRT_OK)
		memcpy(out, b.data, b.len + 1);
	buf_release(&b);
	return rc;
}

static enum csirt_rc
email_normalise(const char *s, size_t n, char *out, size_t outsz)
{
	size_t at = n;
	enum csirt_rc rc;

	for (size_t i = 0; i < n; i++)
		if (s[i] == '@')
			at = i;
	if (at == n || at == 0 || at > 64)
		return CSIRT_EINVAL;
	for (size_t i = 0; i < at; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= 0x20 || c >= 0x7f || strchr("()<>[]\\,;:@\"", c) != NULL)
			return CSIRT_EINVAL;
	}
	if (s[0] == '.' || s[at - 1] == '.')
		return CSIRT_EINVAL;
	if (at + 1 >= outsz)
		return CSIRT_ETOOBIG;
	memcpy(out, s, at + 1);
	rc = domain_normalise(s + at + 1, n - at - 1, out + at + 1, outsz - at - 1);
	return rc;
}

static enum csirt_rc
hash_normalise(enum observable_type type, const char *s, size_t n, char *out,
    size_t outsz)
{
	size_t want = type == OBS_HASH_MD5 ? 32 : type == OBS_HASH_SHA1 ? 40 : 64;

	if (n != want)
		return CSIRT_EINVAL;
	if (n >= outsz)
		return CSIRT_ETOOBIG;
	for (size_t i = 0; i < n; i++) {
		if (!is_hex(s[i]))
			return CSIRT_EINVAL;
		out[i] = lower(s[i]);
	}
	out[n] = '\0';
	return CSIRT_OK;
}

static enum csirt_rc
file_normalise(const char *s, size_t n, char *out, size_t outsz)
{
	if (n == 0 || !utf8_valid(s, n))
		return CSIRT_EINVAL;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return CSIRT_EINVAL;
	if (n >= outsz)
		return CSIRT_ETOOBIG;
	memcpy(out, s, n);
	out[n] = '\0';
	return CSIRT_OK;
}

enum csirt_rc
observable_normalise(enum observable_type type, const char *in, size_t len,
    char *out, size_t outsz)
{
	char tmp[OBSERVABLE_VALUE_MAX];
	size_t n;
	enum csirt_rc rc;

	if (in == NULL || out == NULL || outsz == 0)
		return CSIRT_EINVAL;
	if (type == OBS_FILE)	/* file names are taken as written */
		return file_normalise(in, len, out, outsz);
	rc = refang(in, len, tmp, sizeof(tmp), &n);
	if (rc != CSIRT_OK)
		return rc;
	switch (type) {
	case OBS_IP:
		return ip_normalise(tmp, n, out, outsz);
	case OBS_DOMAIN:
		return domain_normalise(tmp, n, out, outsz);
	case OBS_URL:
		return url_normalise(tmp, n, out, outsz);
	case OBS_EMAIL:
		return email_normalise(tmp, n, out, outsz);
	case OBS_HASH_MD5:
	case OBS_HASH_SHA1:
	case OBS_HASH_SHA256:
		return hash_normalise(type, tmp, n, out, outsz);
	default:
		return CSIRT_EINVAL;
	}
}

/* ---- extraction ---- */

/*
 * Where extraction writes: the caller's array, plus a hash set over it so
 * that de-duplication stays O(1) per indicator (a linear scan took 88 s on a
 * 20 MB body repeating 499 distinct addresses).
 */
struct sink {
	struct observable *out;
	size_t max;
	size_t n;
	GHashTable *seen;	/* keys: entries of out */
};

static guint
observable_hash(gconstpointer p)
{
	const struct observable *o = p;

	return g_str_hash(o->value) * 31u + (guint)o->type;
}

static gboolean
observable_equal(gconstpointer a, gconstpointer b)
{
	const struct observable *x = a, *y = b;

	return x->type == y->type && strcmp(x->value, y->value) == 0;
}

static void
sink_add(struct sink *k, enum observable_type type, const char *value)
{
	struct observable *slot;

	if (k->n >= k->max)
		return;
	/* fill the next free entry, and keep it only if it is new */
	slot = &k->out[k->n];
	slot->type = type;
	memcpy(slot->value, value, strlen(value) + 1);
	if (g_hash_table_contains(k->seen, slot))
		return;
	g_hash_table_add(k->seen, slot);
	k->n++;
}

/* True when the domain in 'v' ends in a TLD that free text may use. */
static bool
domain_plausible(const char *v)
{
	const char *dot = strrchr(v, '.');
	size_t labels = 1;
	enum tld_kind kind;

	for (const char *p = v; *p; p++)
		labels += *p == '.';
	kind = observable_tld_lookup(dot + 1, strlen(dot + 1));
	if (kind == TLD_UNKNOWN)
		return false;
	return kind == TLD_KNOWN || labels >= 3;
}

/* Adds the host of a normalised URL as a domain or an IP. */
static void
add_url_host(struct sink *k, const char *url)
{
	const char *p = strstr(url, "://"), *end;
	char v[OBSERVABLE_VALUE_MAX];

	p += 3;
	end = p + strcspn(p, "/?#");
	for (const char *q = p; q < end; q++)
		if (*q == '@')
			p = q + 1;
	if (*p == '[') {
		end = strchr(p, ']') + 1;
	} else {
		const char *colon = memchr(p, ':', (size_t)(end - p));

		if (colon)
			end = colon;
	}
	if (observable_normalise(OBS_IP, p, (size_t)(end - p), v, sizeof(v)) == CSIRT_OK)
		sink_add(k, OBS_IP, v);
	else if (observable_normalise(OBS_DOMAIN, p, (size_t)(end - p), v, sizeof(v)) == CSIRT_OK)
		sink_add(k, OBS_DOMAIN, v);
}

static bool
try_token(struct sink *k, const char *s, size_t n)
{
	char v[OBSERVABLE_VALUE_MAX];
	bool hex = n > 0;
	const char *colon;

	if (memmem(s, n, "://", 3) != NULL || memmem(s, n, "[://]", 5) != NULL) {
		if (observable_normalise(OBS_URL, s, n, v, sizeof(v)) != CSIRT_OK)
			return false;
		sink_add(k, OBS_URL, v);
		add_url_host(k, v);
		return true;
	}
	if (memchr(s, '@', n) != NULL || memmem(s, n, "[at]", 4) != NULL) {
		if (prefix_ci(s, n, "mailto:")) {
			s += 7;
			n -= 7;
		}
		if (observable_normalise(OBS_EMAIL, s, n, v, sizeof(v)) != CSIRT_OK)
			return false;
		if (!domain_plausible(strchr(v, '@') + 1))
			return false;
		sink_add(k, OBS_EMAIL, v);
		return true;
	}
	for (size_t i = 0; i < n && hex; i++)
		hex = is_hex(s[i]);
	if (hex && (n == 32 || n == 40 || n == 64)) {
		enum observable_type t = n == 32 ? OBS_HASH_MD5 :
		    n == 40 ? OBS_HASH_SHA1 : OBS_HASH_SHA256;

		if (observable_normalise(t, s, n, v, sizeof(v)) != CSIRT_OK)
			return false;
		sink_add(k, t, v);
		return true;
	}
	if (observable_normalise(OBS_IP, s, n, v, sizeof(v)) == CSIRT_OK) {
		sink_add(k, OBS_IP, v);
		return true;
	}
	/* "[2001:db8::1]:443": an IPv6 address with a port */
	if (n > 3 && s[0] == '[') {
		const char *close = memchr(s, ']', n);

		if (close != NULL && close + 1 < s + n && close[1] == ':' &&
		    observable_normalise(OBS_IP, s, (size_t)(close + 1 - s), v, sizeof(v)) == CSIRT_OK) {
			sink_add(k, OBS_IP, v);
			return true;
		}
	}
	/* "1.2.3.4:8080": an IPv4 address with a port */
	colon = memchr(s, ':', n);
	if (colon && memchr(colon + 1, ':', n - (size_t)(colon + 1 - s)) == NULL &&
	    observable_normalise(OBS_IP, s, (size_t)(colon - s), v, sizeof(v)) == CSIRT_OK &&
	    strchr(v, ':') == NULL) {
		sink_add(k, OBS_IP, v);
		return true;
	}
	if (observable_normalise(OBS_DOMAIN, s, n, v, sizeof(v)) == CSIRT_OK) {
		if (!domain_plausible(v))
			return false;
		sink_add(k, OBS_DOMAIN, v);
		return true;
	}
	return false;
}

static bool
is_delim(unsigned char c)
{
	return c <= 0x20 || c >= 0x7f || strchr("<>\"'`(){}|\\^,;", c) != NULL;
}

static const char trail_strip[] = ".,:;!?]>*";
static const char lead_strip[] = "[:*=";

/* "[2001:db8::1]" keeps its brackets; "[TBSC]" and "[1.2.3.4]" do not. */
static bool
bracketed_ipv6(const char *s, size_t n)
{
	return n > 2 && s[0] == '[' && s[n - 1] == ']' && memchr(s, ':', n) != NULL;
}

/* "[2001:db8::1]:443" keeps its opening bracket: a ':' inside the brackets. */
static bool
bracketed_ipv6_start(const char *s, size_t n)
{
	const char *close = n > 2 && s[0] == '[' ? memchr(s, ']', n) : NULL;

	return close != NULL && memchr(s, ':', (size_t)(close - s)) != NULL;
}

/* A defanged ending ("evil[.]") keeps its bracket. */
static bool
defanged_end(const char *s, size_t n)
{
	return n >= 3 && (memcmp(s + n - 3, "[.]", 3) == 0 || memcmp(s + n - 3, "[:]", 3) == 0);
}

/* Strips punctuation that ends sentences or wraps tokens. */
static void
token_trim(const char **s, size_t *n)
{
	bool changed = true;

	while (changed && *n > 0) {
		changed = false;
		if (strchr(trail_strip, (*s)[*n - 1]) != NULL &&
		    !bracketed_ipv6(*s, *n) && !defanged_end(*s, *n)) {
			(*n)--;
			changed = true;
		}
		if (*n > 0 && strchr(lead_strip, (*s)[0]) != NULL &&
		    !bracketed_ipv6_start(*s, *n)) {
			(*s)++;
			(*n)--;
			changed = true;
		}
	}
}

static void
scan_token(struct sink *k, const char *s, size_t n)
{
	size_t start = 0;

	token_trim(&s, &n);
	if (n == 0 || try_token(k, s, n))
		return;
	/* Not an indicator as a whole: try the pieces around ':', '=' and '/'. */
	for (size_t i = 0; i <= n; i++) {
		if (i < n && s[i] != ':' && s[i] != '=' && s[i] != '/')
			continue;
		if (i > start) {
			const char *p = s + start;
			size_t m = i - start;

			token_trim(&p, &m);
			if (m > 0)
				try_token(k, p, m);
		}
		start = i + 1;
	}
}

size_t
observable_extract(const char *text, size_t len, struct observable *out, size_t max)
{
	struct sink k = { .out = out, .max = max, .n = 0 };
	size_t i = 0;

	if (text == NULL || out == NULL || max == 0)
		return 0;
	k.seen = g_hash_table_new(observable_hash, observable_equal);
	while (i < len && k.n < max) {
		size_t start;

		while (i < len && is_delim((unsigned char)text[i]))
			i++;
		start = i;
		while (i < len && !is_delim((unsigned char)text[i]))
			i++;
		if (i > start && i - start <= TOKEN_MAX)
			scan_token(&k, text + start, i - start);
	}
	g_hash_table_destroy(k.seen);
	return k.n;
}
