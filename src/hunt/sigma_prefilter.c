/*
 * sigma_prefilter.c - one Hyperscan pass per event chooses the rules worth
 * evaluating.
 *
 * Measured before (perf, all SigmaHQ Windows rules over EVTX): after the
 * dispatch by channel and event ID and the older gate (which it replaced), rule
 * evaluation (pat_match, memcmp, memchr, memmem, node_eval) was still ~55%
 * of the hunt's CPU: the gate only looks at one top-level selection and
 * the first 4 bytes of a `contains` value, which most events hold
 * ("\win", "c:\p", ...).
 *
 * Here each rule gets a NECESSARY literal set from its whole condition
 * tree: the rule cannot match unless the event holds at least one of the
 * set's literals somewhere in its values (ASCII case folded). AND takes
 * the most selective child's set (longer and fewer literals), OR the union
 * (none if a branch has none), NOT and anything that is not a plain
 * substring (CIDR, numbers, exists, fieldref, neq) none; a regex, the
 * literal every match holds (sigma_relit.c) if there is one. A rule
 * without a set is evaluated as before. All field literals go into one
 * caseless Hyperscan literal database; an event's lowercased values of the
 * fields its dispatch lists' literals lie in are scanned once, and every
 * rule of every literal found is marked. Only marked rules (and rules
 * without a set) are evaluated, fully, so the hits are the same
 * (CSIRT_HUNT_NO_PREFILTER=1 compares; tests/hunt/prefilter_test.sh and
 * the fuzz target fuzz_hunt_prefilter).
 */
#include "sigma_int.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Shorter literals are in nearly every event ("exe", ".d"). */
#define PF_MIN_LEN 3

struct pf_lit {
	const char *s;
	uint32_t len;
	uint32_t rule;	/* rule * 2 + clause (0 or 1, see struct need2) */
	bool any;	/* from a keyword: may be in any value */
};

/* A literal set: one of the literals must be in the event. none = no set
 * is known (the rule must be evaluated). */
struct litset {
	struct pf_lit *v;
	size_t n;
	bool none;
	double cost;	/* lower = more selective */
};

/* One literal database and, per literal id, the rules it marks. */
struct pf_db {
	hs_database_t *db;
	uint32_t *first;	/* per literal id: first index in rules */
	uint32_t *rules;	/* rule indexes, grouped by literal id */
	size_t nlits;
	unsigned char digest[32];	/* set_digest() */
	/* while building, until pf_compile_all(): the distinct literals */
	const char **exprs;
	size_t *lens;
	unsigned *flags, *ids;
	enum csirt_rc rc;
};

/*
 * Literals of field matches are looked for only in the values of the
 * fields the rules name (the matcher compares nothing else), and for an
 * event only those its own dispatch lists need (sigma_rulelist.pf_fields:
 * on OTRF JSON this took the Sigma hunt from 0.43 to 0.29-0.35 CPU s per
 * 60 MB; Hyperscan was 40% of it). Keyword literals may lie in any value
 * and have their own (small) database over every value.
 */
struct sigma_prefilter {
	struct pf_db *dbs;	/* one per distinct literal set of a list */
	size_t ndbs;
	struct pf_lit *byrule;	/* while building: literals, rule by rule */
	size_t *lit_off;	/* per rule: its first entry in byrule */
	/* while building: the fields of the current rule's literals */
	uint32_t *field_seen;	/* per field id: rule + 1 that listed it */
	uint32_t cur_rule;
	uint32_t list_mark;	/* while listing fields per dispatch list */
	int *rf;		/* field ids, rule after rule */
	size_t nrf, caprf;
	size_t *rf_off;		/* per rule: its first entry in rf */
	uint8_t *has;		/* per rule: the clauses it needs (struct
				 * need2): 1 = a, 3 = a and b, 0 = none */
	size_t nwith;
	char **pool;		/* literals made here (glob runs) */
	size_t npool;
};

static const struct litset NONE = { .none = true };

/*
 * Up to two necessary literal sets of a condition, both of which the
 * event must meet: a (the most selective) and b (the next; none when
 * there is no second). One set alone let through every event holding its
 * literal: on OTRF JSON the rules evaluated most often were marked by
 * literals most events of their kind hold ("\\lsass.exe" as TargetImage,
 * "c:\\windows\\system32\\ntdll.dll+" in CallTrace) while another part
 * of the rule ("0x1440", "_ctypes.pyd+") was in almost none.
 */
struct need2 {
	struct litset a, b;
};

static const struct need2 NEED_NONE = { { .none = true }, { .none = true } };

/* The chance that a literal is in an event falls fast with its length;
 * 1/len^3 ranks one 3-byte literal like about 19 of 8 bytes. */
static double
lit_cost(size_t len)
{
	double l = (double)(len > 16 ? 16 : len);

	return 1.0 / (l * l * l);
}

static void
set_free(struct litset *s)
{
	free(s->v);
	*s = NONE;
}

static bool
set_add(struct litset *s, const char *lit, size_t len, bool any)
{
	struct pf_lit *v = realloc(s->v, (s->n + 1) * sizeof(*v));

	if (v == NULL)
		return false;
	s->v = v;
	s->v[s->n++] = (struct pf_lit){ .s = lit, .len = (uint32_t)len,
		.any = any };
	s->cost += lit_cost(len);
	return true;
}

/* a ∪= b; b is consumed */
static bool
set_union(struct litset *a, struct litset *b)
{
	struct pf_lit *v;

	if (a->none || b->none) {
		set_free(a);
		set_free(b);
		return true;
	}
	v = realloc(a->v, (a->n + b->n + 1) * sizeof(*v));
	if (v == NULL) {
		set_free(b);
		return false;
	}
	if (b->n > 0)
		memcpy(v + a->n, b->v, b->n * sizeof(*v));
	a->v = v;
	a->n += b->n;
	a->cost += b->cost;
	free(b->v);
	return true;
}

static void
need_free(struct need2 *n)
{
	set_free(&n->a);
	set_free(&n->b);
}

/* Keeps in n the two most selective of its sets and *cand (consumed). */
static void
need_add(struct need2 *n, struct litset *cand)
{
	if (cand->none) {
		set_free(cand);
	} else if (n->a.none || cand->cost < n->a.cost) {
		set_free(&n->b);
		n->b = n->a;
		n->a = *cand;
	} else if (n->b.none || cand->cost < n->b.cost) {
		set_free(&n->b);
		n->b = *cand;
	} else {
		set_free(cand);
	}
	*cand = NONE;
}

/* n = n OR k (k consumed): (a1 and b1) or (a2 and b2) needs a1 or a2, and
 * b1 or b2. */
static bool
need_or(struct need2 *n, struct need2 *k)
{
	bool ok = set_union(&n->a, &k->a);

	if (!set_union(&n->b, &k->b))
		ok = false;
	if (n->a.none) {	/* no first set: no second either */
		set_free(&n->b);
	}
	return ok;
}

/* Fields that every event of a channel has: the dispatch already used
 * them, so a literal of theirs says nothing. */
static bool
unselective(const struct sigma_ruleset *rs, int field)
{
	static const char *const names[] = { "eventid", "channel",
		"provider_name" };

	if (field < 0)
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strcasecmp(rs->fields.names[field], names[i]) == 0)
			return true;
	return false;
}

/* The longest run of plain bytes of a glob: every match holds it. */
static bool
glob_lit(struct sigma_prefilter *pf, const struct sigma_pat *p,
    const char **lit, size_t *len)
{
	size_t best = 0, bl = 0, i = 0;
	char *s, **pool;

	while (i < p->glob_len) {
		size_t j = i;

		while (j < p->glob_len && p->glob[j] <= 255 && p->glob[j] != 0)
			j++;
		if (j - i > bl) {
			best = i;
			bl = j - i;
		}
		i = j + 1;
	}
	if (bl < PF_MIN_LEN)
		return true;
	pool = realloc(pf->pool, (pf->npool + 1) * sizeof(*pool));
	if (pool == NULL)
		return false;
	pf->pool = pool;
	if ((s = malloc(bl + 1)) == NULL)
		return false;
	for (i = 0; i < bl; i++)
		s[i] = (char)p->glob[best + i];
	s[bl] = '\0';
	pf->pool[pf->npool++] = s;
	*lit = s;
	*len = bl;
	return true;
}

/* The literal every value matching p holds (*lit NULL: none). */
static bool
pat_lit(struct sigma_prefilter *pf, const struct sigma_pat *p,
    const char **lit, size_t *len)
{
	*lit = NULL;
	switch (p->kind) {
	case PAT_EQ: case PAT_CONTAINS: case PAT_STARTS: case PAT_ENDS:
		/* a NUL never lies inside an event value */
		if (p->lit_len >= PF_MIN_LEN &&
		    memchr(p->lit, '\0', p->lit_len) == NULL) {
			*lit = p->lit;
			*len = p->lit_len;
		}
		return true;
	case PAT_GLOB:
		return glob_lit(pf, p, lit, len);
	case PAT_RE:	/* sigma_relit.c */
		if (p->lit != NULL && p->lit_len >= PF_MIN_LEN) {
			*lit = p->lit;
			*len = p->lit_len;
		}
		return true;
	default:
		return true;
	}
}

static bool
note_field(struct sigma_prefilter *pf, int field)
{
	if (pf->field_seen[field] == pf->cur_rule + 1)
		return true;
	pf->field_seen[field] = pf->cur_rule + 1;
	if (pf->nrf == pf->caprf) {
		size_t cap = pf->caprf ? pf->caprf * 2 : 1024;
		int *p = realloc(pf->rf, cap * sizeof(*p));

		if (p == NULL)
			return false;
		pf->rf = p;
		pf->caprf = cap;
	}
	pf->rf[pf->nrf++] = field;
	return true;
}

static bool
fm_lits(struct sigma_prefilter *pf, const struct sigma_ruleset *rs,
    const struct sigma_fieldmatch *fm, struct need2 *out)
{
	bool any = fm->kind == FM_KEYWORD;
	struct litset set = { 0 };

	*out = NEED_NONE;
	if ((fm->kind != FM_VALUES && fm->kind != FM_KEYWORD) || fm->neq ||
	    fm->npats == 0 || (!any && fm->field_id < 0) ||
	    unselective(rs, fm->field_id))
		return true;
	for (size_t i = 0; i < fm->npats; i++) {
		const char *lit;
		size_t len;

		if (!pat_lit(pf, &fm->pats[i], &lit, &len)) {
			set_free(&set);
			need_free(out);
			return false;
		}
		if (fm->all) {
			/* every pattern must match: each literal is needed */
			struct litset one = { 0 };

			if (lit == NULL)
				continue;
			if (!set_add(&one, lit, len, any)) {
				set_free(&one);
				need_free(out);
				return false;
			}
			need_add(out, &one);
			continue;
		}
		if (lit == NULL) {
			set_free(&set);
			return true;
		}
		if (!set_add(&set, lit, len, any)) {
			set_free(&set);
			return false;
		}
	}
	if (!fm->all) {
		if (set.n == 0)
			set_free(&set);
		need_add(out, &set);
	}
	if (!out->a.none && !any)	/* a superset of the literals' fields */
		return note_field(pf, fm->field_id);
	return true;
}

static bool
sel_lits(struct sigma_prefilter *pf, const struct sigma_ruleset *rs,
    const struct sigma_sel *s, struct need2 *out)
{
	*out = NEED_NONE;
	if (s->nalts == 0)
		return true;
	for (size_t a = 0; a < s->nalts; a++) {
		const struct sigma_conj *c = &s->alts[a];
		struct need2 best = NEED_NONE;

		for (size_t k = 0; k < c->nfms; k++) {
			struct need2 one;

			if (!fm_lits(pf, rs, &c->fms[k], &one)) {
				need_free(&best);
				need_free(out);
				return false;
			}
			need_add(&best, &one.a);
			need_add(&best, &one.b);
		}
		if (a == 0) {
			*out = best;
		} else if (!need_or(out, &best)) {
			need_free(out);
			return false;
		}
		if (out->a.none)
			return true;
	}
	return true;
}

static bool
node_lits(struct sigma_prefilter *pf, const struct sigma_ruleset *rs,
    const struct sigma_detection *d, const struct sigma_node *n,
    struct need2 *out, int depth)
{
	*out = NEED_NONE;
	if (depth > 64)
		return true;
	switch (n->kind) {
	case NODE_SEL:
		return sel_lits(pf, rs, &d->sels[n->sel], out);
	case NODE_AND:
		for (size_t i = 0; i < n->nkids; i++) {
			struct need2 k;

			if (!node_lits(pf, rs, d, n->kids[i], &k, depth + 1)) {
				need_free(out);
				return false;
			}
			need_add(out, &k.a);
			need_add(out, &k.b);
		}
		return true;
	case NODE_OR:
		for (size_t i = 0; i < n->nkids; i++) {
			struct need2 k;

			if (!node_lits(pf, rs, d, n->kids[i], &k, depth + 1)) {
				need_free(out);
				return false;
			}
			if (i == 0) {
				*out = k;
			} else if (!need_or(out, &k)) {
				need_free(out);
				return false;
			}
			if (out->a.none)
				return true;
		}
		return true;
	default:		/* NOT, TRUE: nothing is necessary */
		return true;
	}
}

static int
fold(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int
lit_cmp(const void *a, const void *b)
{
	const struct pf_lit *x = a, *y = b;

	if (x->any != y->any)
		return x->any ? 1 : -1;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	for (uint32_t i = 0; i < x->len; i++) {
		int cx = fold((unsigned char)x->s[i]);
		int cy = fold((unsigned char)y->s[i]);

		if (cx != cy)
			return cx - cy;
	}
	return (x->rule > y->rule) - (x->rule < y->rule);
}

static void
pf_inputs_free(struct pf_db *d)
{
	free(d->exprs);
	free(d->lens);
	free(d->flags);
	free(d->ids);
	d->exprs = NULL;
	d->lens = NULL;
	d->flags = NULL;
	d->ids = NULL;
}

void
sigma_prefilter_free(struct sigma_prefilter *pf)
{
	if (pf == NULL)
		return;
	for (size_t k = 0; k < pf->ndbs; k++) {
		struct pf_db *d = &pf->dbs[k];

		if (d->db != NULL)
			hs_free_database(d->db);
		free(d->first);
		free(d->rules);
		pf_inputs_free(d);
	}
	free(pf->dbs);
	free(pf->byrule);
	free(pf->lit_off);
	free(pf->field_seen);
	free(pf->rf);
	free(pf->rf_off);
	free(pf->has);
	for (size_t i = 0; i < pf->npool; i++)
		free(pf->pool[i]);
	free(pf->pool);
	free(pf);
}

/*
 * Hyperscan needs ~0.4 CPU s to compile the ~16,000 literals of SigmaHQ's
 * Windows rules (measured, docs/BENCHMARKS-hunt.md), over the 0.2 s the
 * whole rule set may take; cutting literals to 6 bytes brings it to
 * ~0.05 s but makes the hunt 1.6x slower. So the compiled database is kept
 * in a cache directory, named by the SHA-256 of the Hyperscan version and
 * every literal with its id and flags: the same rules load it in a few
 * milliseconds; any change of rules gives another name.
 */
#define PF_CACHE_MAX ((size_t)256 << 20)

static void
cache_name(const char *dir, const char *const *exprs, const size_t *lens,
    const unsigned *flags, size_t n, char *out, size_t outlen)
{
	crypto_hash_sha256_state st;
	unsigned char d[crypto_hash_sha256_BYTES];
	char hex[2 * sizeof(d) + 1];
	const char *ver = hs_version();

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)ver,
	    strlen(ver) + 1);
	for (size_t i = 0; i < n; i++) {
		uint64_t head[2] = { lens[i], flags[i] };

		crypto_hash_sha256_update(&st, (const unsigned char *)head,
		    sizeof(head));
		crypto_hash_sha256_update(&st, (const unsigned char *)exprs[i],
		    lens[i]);
	}
	crypto_hash_sha256_final(&st, d);
	sodium_bin2hex(hex, sizeof(hex), d, sizeof(d));
	if (snprintf(out, outlen, "%s/sigma-prefilter-%s.hsdb", dir, hex) >=
	    (int)outlen)
		out[0] = '\0';
}

/* The file is mapped, not read: one copy (Hyperscan's) instead of two. */
static hs_database_t *
cache_load(const char *path)
{
	hs_database_t *db = NULL;
	struct stat sb;
	void *map;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size <= 0 ||
	    (size_t)sb.st_size > PF_CACHE_MAX)
		goto out;
	map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		goto out;
	/* Hyperscan checks the version, platform and its own checksum; a
	 * file that shrank under the map would fault, so it is only ever
	 * replaced by rename (cache_store) */
	if (hs_deserialize_database(map, (size_t)sb.st_size, &db) != HS_SUCCESS)
		db = NULL;
	(void)munmap(map, (size_t)sb.st_size);
out:
	close(fd);
	return db;
}

/* Best effort: a cache that cannot be written only costs the next run. */
static void
cache_store(const char *dir, const char *path, const hs_database_t *db)
{
	char *bytes = NULL, tmp[4200];
	size_t len = 0, off = 0;
	int fd;

	(void)mkdir(dir, 0700);
	if (hs_serialize_database(db, &bytes, &len) != HS_SUCCESS)
		return;
	/* databases compile on several threads, and two lists may hold the
	 * same literals (one cache file): the temporary name is the thread's
	 * own, so two writers never share one */
	if (snprintf(tmp, sizeof(tmp), "%s.%ld.%lu.tmp", path, (long)getpid(),
	    (unsigned long)pthread_self()) >=
	    (int)sizeof(tmp))
		goto out;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		goto out;
	while (off < len) {
		ssize_t w = write(fd, bytes + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	if (close(fd) != 0 || off != len || rename(tmp, path) != 0)
		(void)unlink(tmp);
out:
	free(bytes);
}

/* The in-memory identity of a literal set with its rules: two lists with
 * the same share one database (their marks are the same). */
static void
set_digest(const struct pf_lit *all, size_t n, unsigned char *out)
{
	crypto_hash_sha256_state st;

	crypto_hash_sha256_init(&st);
	for (size_t i = 0; i < n; i++) {
		uint32_t head[2] = { all[i].len, all[i].rule };

		crypto_hash_sha256_update(&st, (const unsigned char *)head,
		    sizeof(head));
		crypto_hash_sha256_update(&st, (const unsigned char *)all[i].s,
		    all[i].len);
	}
	crypto_hash_sha256_final(&st, out);
}

/*
 * Registers the distinct literals of 'all' (sorted by lit_cmp) as a
 * database of pf, or finds the one already registered for the same set;
 * *index is its place in pf->dbs, -1 when the set is empty.
 * pf_compile_all() then compiles (or loads) every database.
 */
static enum csirt_rc
pf_register(struct sigma_prefilter *pf, const struct pf_lit *all, size_t n,
    int32_t *index)
{
	unsigned char digest[crypto_hash_sha256_BYTES];
	struct pf_db *d, *dbs;
	size_t u = 0;

	*index = -1;
	if (n == 0)
		return CSIRT_OK;
	set_digest(all, n, digest);
	for (size_t k = 0; k < pf->ndbs; k++)
		if (memcmp(pf->dbs[k].digest, digest, sizeof(digest)) == 0) {
			*index = (int32_t)k;
			return CSIRT_OK;
		}
	dbs = realloc(pf->dbs, (pf->ndbs + 1) * sizeof(*dbs));
	if (dbs == NULL)
		return CSIRT_ENOMEM;
	pf->dbs = dbs;
	d = &pf->dbs[pf->ndbs++];
	memset(d, 0, sizeof(*d));
	memcpy(d->digest, digest, sizeof(digest));
	d->first = malloc((n + 1) * sizeof(*d->first));
	d->rules = malloc((n + 1) * sizeof(*d->rules));
	d->exprs = malloc((n + 1) * sizeof(*d->exprs));
	d->lens = malloc((n + 1) * sizeof(*d->lens));
	d->flags = malloc((n + 1) * sizeof(*d->flags));
	d->ids = malloc((n + 1) * sizeof(*d->ids));
	if (!d->first || !d->rules || !d->exprs || !d->lens || !d->flags ||
	    !d->ids)
		return CSIRT_ENOMEM;	/* pf is freed with what it holds */
	for (size_t i = 0; i < n; i++) {
		bool same = i > 0 && all[i - 1].len == all[i].len &&
		    lit_cmp(&(struct pf_lit){ all[i - 1].s, all[i - 1].len, 0,
		    false }, &(struct pf_lit){ all[i].s, all[i].len, 0,
		    false }) == 0;

		if (!same) {
			d->exprs[u] = all[i].s;
			d->lens[u] = all[i].len;
			d->flags[u] = HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH;
			d->ids[u] = (unsigned)u;
			d->first[u++] = (uint32_t)i;
		}
		d->rules[i] = all[i].rule;
	}
	d->first[u] = (uint32_t)n;
	d->nlits = u;
	*index = (int32_t)(pf->ndbs - 1);
	return CSIRT_OK;
}

/* Loads database d from the cache, or compiles (and caches) it. */
static void
pf_compile_one(struct pf_db *d, const char *cache_dir)
{
	char cpath[4096] = "";
	hs_compile_error_t *cerr = NULL;

	d->rc = CSIRT_OK;
	if (cache_dir != NULL) {
		cache_name(cache_dir, d->exprs, d->lens, d->flags, d->nlits,
		    cpath, sizeof(cpath));
		if (cpath[0] != '\0' && (d->db = cache_load(cpath)) != NULL)
			return;
	}
	if (hs_compile_lit_multi(d->exprs, d->flags, d->ids, d->lens,
	    (unsigned)d->nlits, HS_MODE_BLOCK, NULL, &d->db, &cerr) !=
	    HS_SUCCESS) {
		hs_free_compile_error(cerr);
		d->db = NULL;
		d->rc = CSIRT_EINTERNAL;
		return;
	}
	if (cpath[0] != '\0')
		cache_store(cache_dir, cpath, d->db);
}

struct compile_queue {
	struct sigma_prefilter *pf;
	const char *cache_dir;
	size_t *order;		/* database indexes, largest first */
	atomic_size_t next;
};

static void *
compile_worker(void *arg)
{
	struct compile_queue *q = arg;
	size_t i;

	while ((i = atomic_fetch_add(&q->next, 1)) < q->pf->ndbs)
		pf_compile_one(&q->pf->dbs[q->order[i]], q->cache_dir);
	return NULL;
}

/* qsort_r order: databases with more literals first */
static int
by_size(const void *a, const void *b, void *arg)
{
	const struct sigma_prefilter *pf = arg;
	size_t x = pf->dbs[*(const size_t *)a].nlits;
	size_t y = pf->dbs[*(const size_t *)b].nlits;

	return (x < y) - (x > y);
}

/*
 * Compiles every registered database on up to PF_COMPILE_THREADS threads,
 * largest first: one after another, the 51 databases of SigmaHQ's Windows
 * rules took ~0.39 s to compile, ~0.23 s of it the two process-creation
 * lists (Sysmon 1, Security 4688) of 5,600-6,900 literals each.
 */
#define PF_COMPILE_THREADS 4

static enum csirt_rc
pf_compile_all(struct sigma_prefilter *pf, const char *cache_dir)
{
	struct compile_queue q = { .pf = pf, .cache_dir = cache_dir };
	pthread_t tids[PF_COMPILE_THREADS];
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned nt = cpus < 1 ? 1 : cpus > PF_COMPILE_THREADS ?
	    PF_COMPILE_THREADS : (unsigned)cpus, started = 0;
	enum csirt_rc rc = CSIRT_OK;

	if (pf->ndbs == 0)
		return CSIRT_OK;
	q.order = malloc(pf->ndbs * sizeof(*q.order));
	if (q.order == NULL)
		return CSIRT_ENOMEM;
	for (size_t i = 0; i < pf->ndbs; i++)
		q.order[i] = i;
	qsort_r(q.order, pf->ndbs, sizeof(*q.order), by_size, pf);
	atomic_init(&q.next, 0);
	for (unsigned t = 1; t < nt && t < pf->ndbs; t++)
		if (pthread_create(&tids[t], NULL, compile_worker, &q) == 0)
			started |= 1u << t;
	compile_worker(&q);
	for (unsigned t = 1; t < nt; t++)
		if (started & (1u << t))
			pthread_join(tids[t], NULL);
	for (size_t i = 0; i < pf->ndbs; i++) {
		if (pf->dbs[i].rc != CSIRT_OK)
			rc = pf->dbs[i].rc;
		pf_inputs_free(&pf->dbs[i]);
	}
	free(q.order);
	return rc;
}

/*
 * The literals of a list's rules, field literals and keyword literals
 * each in a database of their own. Measured before (one database of all
 * 15,641 field literals for every event): on OTRF JSON the field scan was
 * ~30% of the hunt, and 155 of its 200 MB were PowerShell 4103 payloads
 * whose 34 rules hold a few hundred literals; Hyperscan's speed falls
 * from ~2.5 GB/s at 100 literals to ~0.2 GB/s at 16,000
 * (../shared/docs/reference/hunting.md), so each event is scanned only
 * against its own lists' literals.
 */
static enum csirt_rc
list_dbs(struct sigma_prefilter *pf, const struct sigma_ruleset *rs,
    struct sigma_rulelist *l)
{
	struct pf_lit *v;
	size_t n = 0, nfield = 0;
	enum csirt_rc rc;

	l->pf_db = l->pf_kwdb = -1;
	for (size_t i = 0; i < l->n; i++)
		n += pf->lit_off[l->rules[i] + 1] - pf->lit_off[l->rules[i]];
	if (n == 0)
		return CSIRT_OK;
	v = malloc(n * sizeof(*v));
	if (v == NULL)
		return CSIRT_ENOMEM;
	n = 0;
	for (size_t i = 0; i < l->n; i++) {
		uint32_t r = l->rules[i];

		memcpy(v + n, pf->byrule + pf->lit_off[r],
		    (pf->lit_off[r + 1] - pf->lit_off[r]) * sizeof(*v));
		n += pf->lit_off[r + 1] - pf->lit_off[r];
	}
	qsort(v, n, sizeof(*v), lit_cmp);	/* fields' first */
	while (nfield < n && !v[nfield].any)
		nfield++;
	rc = pf_register(pf, v, nfield, &l->pf_db);
	if (rc == CSIRT_OK)
		rc = pf_register(pf, v + nfield, n - nfield, &l->pf_kwdb);
	free(v);
	return rc;
}

/* The fields the rules of one dispatch list need scanned. */
static bool
list_fields(struct sigma_prefilter *pf, size_t nrules,
    struct sigma_rulelist *l)
{
	size_t cap = 0;

	l->pf_bits = calloc((nrules + 63) / 64 + 1, sizeof(*l->pf_bits));
	l->pf_always = malloc((l->n + 1) * sizeof(*l->pf_always));
	if (l->pf_bits == NULL || l->pf_always == NULL)
		return false;
	for (size_t i = 0; i < l->n; i++) {
		uint32_t r = l->rules[i];

		l->pf_bits[r / 64] |= 1ULL << (r % 64);
		if (!pf->has[r])
			l->pf_always[l->npf_always++] = r;
	}

	/* field_seen holds rule + 1 from the extraction; a list's mark is
	 * above every rule number, different per list: no clearing */
	pf->list_mark++;
	for (size_t i = 0; i < l->n; i++) {
		uint32_t r = l->rules[i];

		if (!pf->has[r])
			continue;
		for (size_t k = pf->rf_off[r]; k < pf->rf_off[r + 1]; k++) {
			int f = pf->rf[k];

			if (pf->field_seen[f] == pf->list_mark)
				continue;
			pf->field_seen[f] = pf->list_mark;
			if (l->npf_fields == cap) {
				int *p;

				cap = cap ? cap * 2 : 16;
				p = realloc(l->pf_fields, cap * sizeof(*p));
				if (p == NULL)
					return false;
				l->pf_fields = p;
			}
			l->pf_fields[l->npf_fields++] = f;
		}
	}
	return true;
}

/* Fields and databases of one list (see list_fields, list_dbs). */
static enum csirt_rc
list_prepare(struct sigma_prefilter *pf, const struct sigma_ruleset *rs,
    struct sigma_rulelist *l)
{
	if (!list_fields(pf, rs->nrules, l))
		return CSIRT_ENOMEM;
	return list_dbs(pf, rs, l);
}

enum csirt_rc
sigma_prefilter_build(struct sigma_ruleset *rs)
{
	struct sigma_prefilter *pf = calloc(1, sizeof(*pf));
	size_t n = 0, cap = 0;
	enum csirt_rc rc = CSIRT_ENOMEM;

	if (pf == NULL)
		return CSIRT_ENOMEM;
	pf->has = calloc(rs->nrules ? rs->nrules : 1, 1);
	pf->rf_off = calloc(rs->nrules + 1, sizeof(*pf->rf_off));
	pf->lit_off = calloc(rs->nrules + 1, sizeof(*pf->lit_off));
	pf->field_seen = calloc(rs->fields.n ? rs->fields.n : 1,
	    sizeof(*pf->field_seen));
	if (!pf->has || !pf->rf_off || !pf->lit_off || !pf->field_seen)
		goto out;
	for (size_t r = 0; r < rs->nrules; r++) {
		const struct sigma_rule *rule = rs->rules[r];
		struct need2 s;
		size_t more;

		pf->cur_rule = (uint32_t)r;
		pf->rf_off[r] = pf->nrf;
		pf->lit_off[r] = n;
		if (!node_lits(pf, rs, &rule->det, rule->det.cond, &s, 0))
			goto out;
		if (s.a.none || s.a.n == 0) {
			need_free(&s);
			continue;
		}
		if (s.b.n == 0)
			set_free(&s.b);
		more = s.a.n + (s.b.none ? 0 : s.b.n);
		if (n + more > cap) {
			size_t nc = (n + more) * 2 + 1024;
			struct pf_lit *p = realloc(pf->byrule, nc * sizeof(*p));

			if (p == NULL) {
				need_free(&s);
				goto out;
			}
			pf->byrule = p;
			cap = nc;
		}
		for (size_t i = 0; i < s.a.n; i++) {
			pf->byrule[n] = s.a.v[i];
			pf->byrule[n++].rule = (uint32_t)r * 2;
		}
		for (size_t i = 0; !s.b.none && i < s.b.n; i++) {
			pf->byrule[n] = s.b.v[i];
			pf->byrule[n++].rule = (uint32_t)r * 2 + 1;
		}
		pf->has[r] = s.b.none ? 1 : 3;
		need_free(&s);
		pf->nwith++;
	}
	pf->rf_off[rs->nrules] = pf->nrf;
	pf->lit_off[rs->nrules] = n;
	pf->list_mark = (uint32_t)rs->nrules + 1;
	/* a rule on Image reads NewProcessName in 4688 events: the matcher
	 * follows the alias, and so does the scan (first_of gives the
	 * target's values), so only the rules' own field ids are listed */
	rc = list_prepare(pf, rs, &rs->any);
	for (size_t b = 0; b < rs->nbuckets && rc == CSIRT_OK; b++) {
		rc = list_prepare(pf, rs, &rs->buckets[b].any_eid);
		for (size_t e = 0; e < rs->buckets[b].neids && rc == CSIRT_OK; e++)
			rc = list_prepare(pf, rs, &rs->buckets[b].eids[e].list);
	}
	if (rc == CSIRT_OK)
		rc = pf_compile_all(pf, rs->cache_dir);
	if (rc != CSIRT_OK)
		goto out;
	/* the literals live on in the databases' rules arrays; the strings
	 * they point at belong to the rules and the pool */
	free(pf->byrule);
	pf->byrule = NULL;
	rs->prefilter = pf;
	pf = NULL;
out:
	sigma_prefilter_free(pf);
	return rc;
}

bool
sigma_prefilter_has(const struct sigma_prefilter *pf, uint32_t rule)
{
	return pf != NULL && pf->has[rule];
}

bool
sigma_prefilter_met(const struct sigma_prefilter *pf, uint32_t rule,
    uint8_t found)
{
	return found == pf->has[rule];
}

size_t
sigma_prefilter_count(const struct sigma_prefilter *pf)
{
	return pf != NULL ? pf->nwith : 0;
}

hs_scratch_t *
sigma_prefilter_scratch(const struct sigma_prefilter *pf)
{
	hs_scratch_t *s = NULL;

	if (pf == NULL || pf->ndbs == 0)
		return NULL;
	/* one scratch serves every database */
	for (size_t k = 0; k < pf->ndbs; k++)
		if (hs_alloc_scratch(pf->dbs[k].db, &s) != HS_SUCCESS) {
			if (s != NULL)
				hs_free_scratch(s);
			return NULL;
		}
	return s;
}


struct mark_ctx {
	const struct pf_db *pf;
	const uint8_t *need;	/* per rule: the clause bits it needs */
	uint32_t gen;
	uint32_t *stamp;
	uint8_t *found;
	uint32_t *marked;
	size_t *nmarked;
};

static int
on_lit(unsigned id, unsigned long long from, unsigned long long to,
    unsigned flags, void *arg)
{
	const struct mark_ctx *c = arg;

	(void)from;
	(void)to;
	(void)flags;
	for (uint32_t i = c->pf->first[id]; i < c->pf->first[id + 1]; i++) {
		uint32_t r = c->pf->rules[i] / 2;
		uint8_t bit = (uint8_t)(1u << (c->pf->rules[i] & 1));

		if (c->stamp[r] != c->gen) {	/* first literal of the event */
			c->stamp[r] = c->gen;
			c->found[r] = 0;
		}
		if (c->found[r] & bit)
			continue;
		c->found[r] |= bit;
		/* marked once, when its last clause is met */
		if (c->found[r] == c->need[r])
			c->marked[(*c->nmarked)++] = r;
	}
	return 0;
}

bool
sigma_prefilter_mark(const struct sigma_prefilter *pf, hs_scratch_t *scratch,
    int32_t db, const char *text, size_t len, uint32_t gen,
    uint32_t *stamp, uint8_t *found, uint32_t *marked, size_t *nmarked)
{
	struct mark_ctx c;

	if (db < 0 || (size_t)db >= pf->ndbs)
		return true;	/* no literal at all: nothing to mark */
	if (len > UINT32_MAX)
		return false;
	c = (struct mark_ctx){ &pf->dbs[db], pf->has, gen, stamp, found, marked,
		nmarked };
	return hs_scan(c.pf->db, text, (unsigned)len, 0, scratch, on_lit,
	    &c) == HS_SUCCESS;
}
