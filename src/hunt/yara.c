/*
 * yara.c - YARA scanning of files through libyara.
 *
 * Rules: every rule file is first compiled alone, so one broken file is
 * reported (with libyara's message) and left out instead of making the
 * whole set unusable - a libyara compiler cannot be used again after an
 * error. The good files are then compiled together, each in a namespace
 * named after the file, so equal rule names in two files do not collide.
 *
 * Scanning: the file list is built first (sorted), then worker threads take
 * files by index and keep their results per index; hits are reported after
 * the workers finish, in file order, so the output does not depend on
 * thread timing. Per-core speed is libyara's; the gains are using both
 * cores and not rescanning files whose size and mtime are those of the
 * last run with the same rules (the cache file keeps their matches).
 */
#include "csirt/common.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yara.h>

#include "csirt/hunt_yara.h"

#define YARA_SCAN_TIMEOUT_S 60
#define YARA_MAX_DEPTH 32
#define YARA_MAX_FILES 10000000
#define YARA_MAX_MATCHES 64

struct yrule {
	char *id;		/* namespace:identifier */
	char *title;
	char **tags;
	size_t ntags;
	enum sigma_level level;
};

struct hunt_yara {
	YR_RULES *rules;
	struct yrule *table;	/* in rules_table order */
	size_t nrules;
	uint32_t *by_id;	/* indexes sorted by id, for the cache */
	char **rejects;
	size_t nrejects;
	uint64_t rules_hash;
};

struct plist {
	char **v;
	size_t n, cap;
};

static bool
plist_push(struct plist *l, char *s)
{
	if (s == NULL)
		return false;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		char **v = realloc(l->v, cap * sizeof(*v));

		if (v == NULL) {
			free(s);
			return false;
		}
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = s;
	return true;
}

static void
plist_free(struct plist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static bool
has_ext(const char *n, const char *const *exts)
{
	size_t l = strlen(n);

	if (exts == NULL)
		return true;
	for (size_t i = 0; exts[i]; i++) {
		size_t e = strlen(exts[i]);

		if (l > e && strcmp(n + l - e, exts[i]) == 0)
			return true;
	}
	return false;
}

/* Regular files under path, sorted; exts NULL = all. */
static void
walk(const char *path, const char *const *exts, struct plist *out, int depth)
{
	struct dirent **names;
	struct stat st;
	int n;

	if (stat(path, &st) != 0)
		return;
	if (S_ISREG(st.st_mode)) {
		if (depth == 0 || has_ext(path, exts))
			(void)plist_push(out, strdup(path));
		return;
	}
	if (!S_ISDIR(st.st_mode) || depth >= YARA_MAX_DEPTH ||
	    out->n >= YARA_MAX_FILES)
		return;
	n = scandir(path, &names, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		char sub[4096];

		if (names[i]->d_name[0] != '.' &&
		    snprintf(sub, sizeof(sub), "%s/%s", path, names[i]->d_name) <
		    (int)sizeof(sub))
			walk(sub, exts, out, depth + 1);
		free(names[i]);
	}
	if (n >= 0)
		free(names);
}

static const char *const externals[] = { "filename", "filepath", "extension",
	"filetype", "owner" };

static int
define_externals(YR_COMPILER *c)
{
	for (size_t i = 0; i < ARRAY_SIZE(externals); i++)
		if (yr_compiler_define_string_variable(c, externals[i], "") !=
		    ERROR_SUCCESS)
			return -1;
	return 0;
}

struct cerr {
	char msg[300];
};

static void
compiler_cb(int level, const char *file, int line, const YR_RULE *rule,
    const char *message, void *user)
{
	struct cerr *e = user;

	(void)rule;
	if (level == YARA_ERROR_LEVEL_ERROR && e->msg[0] == '\0')
		snprintf(e->msg, sizeof(e->msg), "%s:%d: %s", file ? file : "?",
		    line, message);
}

/* Compiles one file alone; returns true if it compiles. */
static bool
file_compiles(const char *path, struct cerr *e)
{
	YR_COMPILER *c;
	FILE *f = fopen(path, "r");
	bool ok;

	if (f == NULL) {
		snprintf(e->msg, sizeof(e->msg), "%s: %s", path, strerror(errno));
		return false;
	}
	if (yr_compiler_create(&c) != ERROR_SUCCESS) {
		fclose(f);
		return false;
	}
	yr_compiler_set_callback(c, compiler_cb, e);
	ok = define_externals(c) == 0 && yr_compiler_add_file(c, f, "check",
	    path) == 0;
	yr_compiler_destroy(c);
	fclose(f);
	return ok;
}

/* All files into one compiler; false (compiler destroyed) on any error. */
static bool
compile_all(const struct plist *files, YR_COMPILER **out)
{
	YR_COMPILER *c;
	struct cerr e = { "" };

	*out = NULL;
	if (files->n == 0 || yr_compiler_create(&c) != ERROR_SUCCESS)
		return false;
	yr_compiler_set_callback(c, compiler_cb, &e);
	if (define_externals(c) != 0)
		goto fail;
	for (size_t i = 0; i < files->n; i++) {
		const char *base = strrchr(files->v[i], '/');
		FILE *f = fopen(files->v[i], "r");
		int errors;

		if (f == NULL)
			goto fail;
		errors = yr_compiler_add_file(c, f, base ? base + 1 : files->v[i],
		    files->v[i]);
		fclose(f);
		if (errors != 0)
			goto fail;
	}
	*out = c;
	return true;
fail:
	yr_compiler_destroy(c);
	return false;
}

static uint64_t
fnv_update(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ULL;
	return h;
}

static uint64_t
hash_file(uint64_t h, const char *path)
{
	FILE *f = fopen(path, "rb");
	char buf[65536];
	size_t n;

	h = fnv_update(h, path, strlen(path) + 1);
	if (f == NULL)
		return h;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		h = fnv_update(h, buf, n);
	fclose(f);
	return h;
}

static enum sigma_level
score_level(int64_t score)
{
	if (score >= 90) return SIGMA_LEVEL_CRITICAL;
	if (score >= 70) return SIGMA_LEVEL_HIGH;
	if (score >= 50) return SIGMA_LEVEL_MEDIUM;
	return SIGMA_LEVEL_LOW;
}

static struct hunt_yara *yara_sorted_index;

static int
by_id(const void *a, const void *b)
{
	const struct hunt_yara *y = yara_sorted_index;

	return strcmp(y->table[*(const uint32_t *)a].id,
	    y->table[*(const uint32_t *)b].id);
}

static bool
build_table(struct hunt_yara *y)
{
	YR_RULE *rule;
	size_t n = 0, i = 0;

	yr_rules_foreach(y->rules, rule)
		n++;
	y->table = calloc(n ? n : 1, sizeof(*y->table));
	y->by_id = calloc(n ? n : 1, sizeof(*y->by_id));
	if (y->table == NULL || y->by_id == NULL)
		return false;
	yr_rules_foreach(y->rules, rule) {
		struct yrule *r = &y->table[i];
		struct buf b;
		const char *tag;
		YR_META *meta;

		buf_init(&b, 4096);
		buf_printf(&b, "%s:%s", rule->ns->name, rule->identifier);
		r->id = buf_detach(&b);
		r->level = SIGMA_LEVEL_HIGH;
		yr_rule_metas_foreach(rule, meta) {
			if (strcmp(meta->identifier, "description") == 0 &&
			    meta->type == META_TYPE_STRING && r->title == NULL)
				r->title = strdup(meta->string);
			if (strcmp(meta->identifier, "score") == 0 &&
			    meta->type == META_TYPE_INTEGER)
				r->level = score_level(meta->integer);
		}
		if (r->title == NULL)
			r->title = strdup(rule->identifier);
		yr_rule_tags_foreach(rule, tag) {
			char **t = realloc(r->tags, (r->ntags + 1) * sizeof(*t));

			if (t == NULL)
				break;
			r->tags = t;
			r->tags[r->ntags++] = strdup(tag);
		}
		y->by_id[i] = (uint32_t)i;
		i++;
	}
	y->nrules = n;
	yara_sorted_index = y;	/* single-threaded here: compile time */
	qsort(y->by_id, n, sizeof(*y->by_id), by_id);
	return true;
}

struct hunt_yara *
hunt_yara_new(const char *const *paths, size_t n, struct csirt_err *err)
{
	static const char *const exts[] = { ".yar", ".yara", NULL };
	struct hunt_yara *y = calloc(1, sizeof(*y));
	struct plist files = { 0 }, rejects = { 0 };
	YR_COMPILER *c = NULL;
	struct cerr e = { "" };
	size_t good = 0;

	if (y == NULL || yr_initialize() != ERROR_SUCCESS) {
		free(y);
		csirt_err_set(err, CSIRT_ENOMEM, "yara", "cannot start libyara");
		return NULL;
	}
	y->rules_hash = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++)
		walk(paths[i], exts, &files, 0);
	/* Usually every file compiles: try them all together first, and check
	 * file by file only when that fails (a second compile of everything). */
	if (compile_all(&files, &c)) {
		for (size_t i = 0; i < files.n; i++)
			y->rules_hash = hash_file(y->rules_hash, files.v[i]);
		good = files.n;
		goto compiled;
	}
	if (yr_compiler_create(&c) != ERROR_SUCCESS || define_externals(c) != 0)
		goto fail;
	yr_compiler_set_callback(c, compiler_cb, &e);
	for (size_t i = 0; i < files.n; i++) {
		struct cerr fe = { "" };
		const char *base = strrchr(files.v[i], '/');
		FILE *f;

		if (!file_compiles(files.v[i], &fe)) {
			(void)plist_push(&rejects, strdup(fe.msg[0] ? fe.msg :
			    files.v[i]));
			continue;
		}
		f = fopen(files.v[i], "r");
		if (f == NULL)
			continue;
		if (yr_compiler_add_file(c, f, base ? base + 1 : files.v[i],
		    files.v[i]) != 0) {
			/* compiles alone, not with the others (a clash) */
			fclose(f);
			(void)plist_push(&rejects, strdup(e.msg[0] ? e.msg :
			    files.v[i]));
			goto fail;
		}
		fclose(f);
		y->rules_hash = hash_file(y->rules_hash, files.v[i]);
		good++;
	}
	if (good == 0) {
		csirt_err_set(err, CSIRT_EINVAL, "yara",
		    "no usable YARA rule file (%zu rejected)%s%s", rejects.n,
		    rejects.n ? ": " : "", rejects.n ? rejects.v[0] : "");
		goto fail_quiet;
	}
compiled:
	if (yr_compiler_get_rules(c, &y->rules) != ERROR_SUCCESS ||
	    !build_table(y))
		goto fail;
	yr_compiler_destroy(c);
	plist_free(&files);
	y->rejects = rejects.v;
	y->nrejects = rejects.n;
	return y;
fail:
	csirt_err_set(err, CSIRT_EINVAL, "yara", "YARA rules do not compile: %s",
	    e.msg[0] ? e.msg : "out of memory");
fail_quiet:
	if (c != NULL)
		yr_compiler_destroy(c);
	plist_free(&files);
	plist_free(&rejects);
	hunt_yara_free(y);
	return NULL;
}

void
hunt_yara_free(struct hunt_yara *y)
{
	if (y == NULL)
		return;
	for (size_t i = 0; i < y->nrules; i++) {
		free(y->table[i].id);
		free(y->table[i].title);
		for (size_t t = 0; t < y->table[i].ntags; t++)
			free(y->table[i].tags[t]);
		free(y->table[i].tags);
	}
	free(y->table);
	free(y->by_id);
	for (size_t i = 0; i < y->nrejects; i++)
		free(y->rejects[i]);
	free(y->rejects);
	if (y->rules != NULL)
		yr_rules_destroy(y->rules);
	free(y);
	yr_finalize();
}

size_t
hunt_yara_rule_count(const struct hunt_yara *y)
{
	return y->nrules;
}

size_t
hunt_yara_reject_count(const struct hunt_yara *y)
{
	return y->nrejects;
}

const char *
hunt_yara_reject(const struct hunt_yara *y, size_t i)
{
	return i < y->nrejects ? y->rejects[i] : "";
}

/* ---- scanning ---- */

struct yfile {
	const char *path;
	int64_t size, mtime_ns;
	bool skipped, scanned;
	char *error;
	uint32_t matches[YARA_MAX_MATCHES];
	size_t nmatches;
};

struct cached {
	char *path;
	int64_t size, mtime_ns;
	uint64_t rules_hash;
	char *matches;		/* comma-separated ids */
};

struct scan {
	struct hunt_yara *y;
	struct yfile *files;
	size_t nfiles;
	struct cached *cache;	/* sorted by path */
	size_t ncache;
	atomic_size_t next;
	atomic_uint_fast64_t bytes;
};

static int
cached_cmp(const void *a, const void *b)
{
	return strcmp(((const struct cached *)a)->path,
	    ((const struct cached *)b)->path);
}

static const struct cached *
cache_find(const struct scan *s, const char *path)
{
	struct cached key = { .path = (char *)(uintptr_t)path };

	if (s->ncache == 0)
		return NULL;
	return bsearch(&key, s->cache, s->ncache, sizeof(*s->cache), cached_cmp);
}

static int64_t
rule_index(const struct hunt_yara *y, const char *id)
{
	size_t lo = 0, hi = y->nrules;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(y->table[y->by_id[mid]].id, id);

		if (c == 0)
			return y->by_id[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* Cache lines: path \t size \t mtime_ns \t rules_hash(hex) \t ids,... */
static void
cache_load(struct scan *s, const char *path)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0, capc = 0;

	if (f == NULL)
		return;
	while (getline(&line, &cap, f) > 0) {
		char *save = NULL, *p, *sz, *mt, *rh, *m;
		struct cached c;

		line[strcspn(line, "\n")] = '\0';
		p = strtok_r(line, "\t", &save);
		sz = strtok_r(NULL, "\t", &save);
		mt = strtok_r(NULL, "\t", &save);
		rh = strtok_r(NULL, "\t", &save);
		m = strtok_r(NULL, "\t", &save);
		if (p == NULL || sz == NULL || mt == NULL || rh == NULL ||
		    parse_int64(sz, 0, INT64_MAX, &c.size) != CSIRT_OK ||
		    parse_int64(mt, INT64_MIN, INT64_MAX, &c.mtime_ns) != CSIRT_OK)
			continue;
		c.rules_hash = strtoull(rh, NULL, 16);
		if (s->ncache == capc) {
			size_t nc = capc ? capc * 2 : 256;
			struct cached *t = realloc(s->cache, nc * sizeof(*t));

			if (t == NULL)
				break;
			s->cache = t;
			capc = nc;
		}
		c.path = strdup(p);
		c.matches = strdup(m ? m : "");
		if (c.path == NULL || c.matches == NULL) {
			free(c.path);
			free(c.matches);
			break;
		}
		s->cache[s->ncache++] = c;
	}
	free(line);
	fclose(f);
	qsort(s->cache, s->ncache, sizeof(*s->cache), cached_cmp);
}

static bool
cache_save(const struct scan *s, const char *path)
{
	char tmp[4096];
	FILE *f;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return false;
	f = fopen(tmp, "w");
	if (f == NULL)
		return false;
	for (size_t i = 0; i < s->nfiles; i++) {
		const struct yfile *yf = &s->files[i];

		if (yf->error != NULL || strchr(yf->path, '\t') ||
		    strchr(yf->path, '\n'))
			continue;
		fprintf(f, "%s\t%" PRId64 "\t%" PRId64 "\t%016" PRIx64 "\t",
		    yf->path, yf->size, yf->mtime_ns, s->y->rules_hash);
		for (size_t k = 0; k < yf->nmatches; k++)
			fprintf(f, "%s%s", k ? "," : "",
			    s->y->table[yf->matches[k]].id);
		fputc('\n', f);
	}
	if (fclose(f) != 0)
		return false;
	return rename(tmp, path) == 0;
}

struct cbctx {
	struct yfile *yf;
	const YR_RULE *first;	/* rules_table: a match's index is rule - first */
};

static int
scan_cb(YR_SCAN_CONTEXT *ctx, int message, void *data, void *user)
{
	struct cbctx *c = user;
	const YR_RULE *rule = data;

	(void)ctx;
	if (message == CALLBACK_MSG_RULE_MATCHING &&
	    c->yf->nmatches < YARA_MAX_MATCHES)
		c->yf->matches[c->yf->nmatches++] = (uint32_t)(rule - c->first);
	return CALLBACK_CONTINUE;
}

static void
set_externals(YR_SCANNER *sc, const char *path)
{
	const char *base = strrchr(path, '/');
	const char *dot;

	base = base ? base + 1 : path;
	dot = strrchr(base, '.');
	yr_scanner_define_string_variable(sc, "filename", base);
	yr_scanner_define_string_variable(sc, "filepath", path);
	yr_scanner_define_string_variable(sc, "extension", dot ? dot : "");
	yr_scanner_define_string_variable(sc, "filetype", "");
	yr_scanner_define_string_variable(sc, "owner", "");
}

/* Matches from the cache, if the file and the rules are unchanged. */
static bool
from_cache(struct scan *s, struct yfile *yf)
{
	const struct cached *c = cache_find(s, yf->path);
	char *ids, *save = NULL, *tok;

	if (c == NULL || c->size != yf->size || c->mtime_ns != yf->mtime_ns ||
	    c->rules_hash != s->y->rules_hash)
		return false;
	ids = strdup(c->matches);
	if (ids == NULL)
		return false;
	for (tok = strtok_r(ids, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		int64_t r = rule_index(s->y, tok);

		if (r >= 0 && yf->nmatches < YARA_MAX_MATCHES)
			yf->matches[yf->nmatches++] = (uint32_t)r;
	}
	free(ids);
	yf->skipped = true;
	return true;
}

static void *
worker(void *arg)
{
	struct scan *s = arg;
	YR_SCANNER *sc = NULL;
	struct cbctx cb = { .first = s->y->rules->rules_table };

	if (yr_scanner_create(s->y->rules, &sc) != ERROR_SUCCESS)
		return NULL;
	yr_scanner_set_timeout(sc, YARA_SCAN_TIMEOUT_S);
	for (;;) {
		size_t i = atomic_fetch_add(&s->next, 1);
		struct yfile *yf;
		struct stat st;
		int rc;

		if (i >= s->nfiles)
			break;
		yf = &s->files[i];
		if (stat(yf->path, &st) != 0 || !S_ISREG(st.st_mode)) {
			yf->error = strdup("cannot stat");
			continue;
		}
		yf->size = st.st_size;
		yf->mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 +
		    st.st_mtim.tv_nsec;
		if (from_cache(s, yf))
			continue;
		set_externals(sc, yf->path);
		cb.yf = yf;
		yr_scanner_set_callback(sc, scan_cb, &cb);
		rc = yr_scanner_scan_file(sc, yf->path);
		if (rc != ERROR_SUCCESS) {
			char msg[64];

			snprintf(msg, sizeof(msg), "libyara error %d%s", rc,
			    rc == ERROR_SCAN_TIMEOUT ? " (timeout)" : "");
			yf->error = strdup(msg);
			continue;
		}
		yf->scanned = true;
		atomic_fetch_add(&s->bytes, (uint64_t)st.st_size);
	}
	yr_scanner_destroy(sc);
	return NULL;
}

static void
emit(struct scan *s, const struct yfile *yf, hunt_yara_hit_fn fn, void *ctx,
    struct hunt_event *ev)
{
	char host[256] = "", size[32], when[32];

	(void)s;
	if (gethostname(host, sizeof(host) - 1) != 0)
		host[0] = '\0';
	snprintf(size, sizeof(size), "%" PRId64, yf->size);
	time_format_iso(yf->mtime_ns / 1000000000, when);
	for (size_t k = 0; k < yf->nmatches; k++) {
		const struct yrule *r = &s->y->table[yf->matches[k]];
		struct sigma_matched_field mf[2] = { { "path", yf->path },
			{ "rule", r->id } };
		struct hunt_hit hit = { .engine = "yara", .rule_id = r->id,
			.title = r->title, .level = r->level,
			.tags = (const char *const *)r->tags, .ntags = r->ntags,
			.fields = mf, .nfields = 2 };

		hunt_event_reset(ev);
		hunt_event_add(ev, "path", 4, yf->path, strlen(yf->path));
		hunt_event_add(ev, "size", 4, size, strlen(size));
		hunt_event_add(ev, "rule", 4, r->id, strlen(r->id));
		hunt_event_add(ev, "Computer", 8, host, strlen(host));
		hunt_event_add(ev, "timestamp", 9, when, strlen(when));
		hunt_event_finish(ev);
		ev->source = yf->path;
		ev->record = 0;
		fn(ev, &hit, ctx);
	}
}

enum csirt_rc
hunt_yara_scan(struct hunt_yara *y, const char *const *paths, size_t n,
    unsigned threads, const char *cache, hunt_yara_hit_fn fn,
    hunt_yara_error_fn on_error, void *ctx, struct hunt_yara_stats *st)
{
	struct plist files = { 0 };
	struct scan s = { .y = y };
	pthread_t tids[64];
	unsigned started = 0;
	struct hunt_event ev;

	memset(st, 0, sizeof(*st));
	for (size_t i = 0; i < n; i++)
		walk(paths[i], NULL, &files, 0);
	s.files = calloc(files.n ? files.n : 1, sizeof(*s.files));
	if (s.files == NULL) {
		plist_free(&files);
		return CSIRT_ENOMEM;
	}
	for (size_t i = 0; i < files.n; i++)
		s.files[i].path = files.v[i];
	s.nfiles = files.n;
	if (cache != NULL)
		cache_load(&s, cache);
	if (threads == 0) {
		long c = sysconf(_SC_NPROCESSORS_ONLN);

		threads = c > 0 ? (unsigned)c : 1;
	}
	if (threads > ARRAY_SIZE(tids))
		threads = ARRAY_SIZE(tids);
	for (unsigned t = 0; t < threads; t++)
		if (pthread_create(&tids[t], NULL, worker, &s) == 0)
			started++;
	if (started == 0)
		worker(&s);
	for (unsigned t = 0; t < started; t++)
		pthread_join(tids[t], NULL);
	hunt_event_init(&ev);
	for (size_t i = 0; i < s.nfiles; i++) {
		struct yfile *yf = &s.files[i];

		st->files++;
		if (yf->error != NULL) {
			st->errors++;
			if (on_error != NULL)
				on_error(yf->path, yf->error, ctx);
			continue;
		}
		st->scanned += yf->scanned;
		st->skipped += yf->skipped;
		if (fn != NULL)
			emit(&s, yf, fn, ctx, &ev);
	}
	st->bytes = atomic_load(&s.bytes);
	hunt_event_release(&ev);
	if (cache != NULL && !cache_save(&s, cache) && on_error != NULL)
		on_error(cache, "cannot write the YARA cache", ctx);
	for (size_t i = 0; i < s.nfiles; i++)
		free(s.files[i].error);
	for (size_t i = 0; i < s.ncache; i++) {
		free(s.cache[i].path);
		free(s.cache[i].matches);
	}
	free(s.cache);
	free(s.files);
	plist_free(&files);
	return CSIRT_OK;
}
