/*
 * cmd_hunt.c - csirt hunt: Sigma rules and IOC lists over logs.
 *
 *   csirt hunt [--rules PATH]... [--ioc FILE]... [--yara PATH]...
 *              [--format table|jsonl|csv] [--post URL --token T [--system ID]]
 *              INPUT...
 *
 * Parses arguments, loads the engines from src/hunt, walks the inputs and
 * prints hits; everything else is the engine's. Exit status (commands.h):
 * 0 the hunt ran (with or without hits), 1 it failed (rules, IOCs or an
 * input could not be read, alerts not posted), 2 usage error.
 */
#include "csirt/common.h"

#include <getopt.h>
#include <pthread.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/commands.h"
#include "csirt/hunt.h"
#include "csirt/hunt_ioc.h"
#include "csirt/hunt_output.h"
#include "csirt/hunt_post.h"
#include "csirt/hunt_yara.h"
#include "csirt/sigma.h"

int cmd_hunt(int argc, char **argv);

/* One hunting thread: its own matcher and its own buffered output. */
struct hunt_worker {
	struct hunt_cli *cli;
	struct sigma_matcher *m;
	FILE *mem;		/* open_memstream over buf/len */
	char *buf;
	size_t len;
	struct hunt_output *out;
};

#define HUNT_CLI_MAX_THREADS 16
/* Parts per thread in each window (hunt_input_opts.parts): threads take
 * parts in turn, so a costly stretch of log does not leave the others
 * idle; each part has its own worker (matcher and output buffer). */
#define HUNT_CLI_PARTS_PER_THREAD 8
#define HUNT_CLI_MAX_WORKERS (HUNT_CLI_MAX_THREADS * HUNT_CLI_PARTS_PER_THREAD)
_Static_assert(HUNT_CLI_MAX_WORKERS <= HUNT_INPUT_MAX_PARTS,
    "every worker must be a part of the window");

struct hunt_cli {
	struct sigma_matcher *m;
	struct ioc_set *iocs;
	struct hunt_output *out;
	struct hunt_poster *poster;
	bool progress;
	uint64_t total_bytes;
	uint64_t last_draw;
	struct hunt_read_stats *stats;
	uint64_t errors;
	struct hunt_worker workers[HUNT_CLI_MAX_WORKERS];
	void *worker_ctx[HUNT_CLI_MAX_WORKERS];
	unsigned nworkers;
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: csirt hunt [--rules PATH]... [--ioc FILE]... [--yara PATH]...\n"
	    "                  [--format table|jsonl|csv] [--post URL --token T [--system ID]]\n"
	    "                  [--yara-cache FILE|none] [--placeholders FILE]\n"
	    "                  [--threads N] [--quiet]\n"
	    "                  INPUT...\n"
	    "\n"
	    "Hunts Windows EVTX, JSON lines and syslog/auditd files (gzip and zip are\n"
	    "opened, directories walked, '-' is stdin) with Sigma rules and IOC lists.\n"
	    "  --rules PATH    a Sigma rule file or a folder of them (repeatable)\n"
	    "  --threads N     hunting threads (default: one per CPU)\n"
	    "  --placeholders F  values of the %%placeholders%% of Sigma's |expand (YAML)\n"
	    "  --ioc FILE      an IOC list: IPs, CIDRs, domains, URLs, hashes, file names\n"
	    "  --yara PATH     YARA rules (file or folder): INPUT files are scanned with them\n"
	    "  --yara-cache F  where to remember scanned files (default ~/.cache/csirt/\n"
	    "                  yara-scan.tsv; 'none' rescans everything)\n"
	    "  --format F      table (default on a terminal), jsonl or csv\n"
	    "  --post URL      send each hit as an alert to URL/api/alerts\n"
	    "  --token T       bearer token for --post (or CSIRT_TOKEN)\n"
	    "  --system ID     the hunted system's id, attached to the alerts\n"
	    "  --quiet         no summary and no progress bar\n"
	    "Exit status: 0 the hunt ran (hits or not), 1 failure, 2 usage error.\n");
}

static void
on_hit_common(struct hunt_cli *c, const struct hunt_event *ev,
    const struct hunt_hit *hit)
{
	hunt_output_hit(c->out, ev, hit);
	if (c->poster != NULL)
		hunt_post_hit(c->poster, ev, hit);
}

static void
on_sigma(const struct hunt_event *ev, const struct sigma_hit *sh, void *ctx)
{
	struct hunt_hit hit = hunt_hit_of_sigma(sh);

	on_hit_common(ctx, ev, &hit);
}

static void
on_ioc(const struct hunt_event *ev, const struct hunt_hit *hit, void *ctx)
{
	on_hit_common(ctx, ev, hit);
}

static void
draw_progress(struct hunt_cli *c, bool done)
{
	uint64_t b = c->stats->bytes;
	int pct = c->total_bytes ? (int)(b * 100 / c->total_bytes) : 0;
	char bar[41];

	if (pct > 100 || done)
		pct = 100;
	for (int i = 0; i < 40; i++)
		bar[i] = i < pct * 40 / 100 ? '#' : '.';
	bar[40] = '\0';
	fprintf(stderr, "\r[%s] %3d%%  %" PRIu64 " events  %" PRIu64 " hits%s",
	    bar, pct, c->stats->events, hunt_output_hits(c->out),
	    done ? "\n" : "");
}

static bool
on_event(struct hunt_event *ev, void *ctx)
{
	struct hunt_cli *c = ctx;

	if (c->m != NULL)
		(void)sigma_match(c->m, ev, on_sigma, c);
	if (c->iocs != NULL)
		(void)ioc_match(c->iocs, ev, on_ioc, c);
	if (c->progress && c->stats->events - c->last_draw >= 20000) {
		c->last_draw = c->stats->events;
		draw_progress(c, false);
	}
	return true;
}

static void
worker_sigma(const struct hunt_event *ev, const struct sigma_hit *sh, void *ctx)
{
	struct hunt_worker *w = ctx;
	struct hunt_hit hit = hunt_hit_of_sigma(sh);

	hunt_output_hit(w->out, ev, &hit);
}

static void
worker_ioc(const struct hunt_event *ev, const struct hunt_hit *hit, void *ctx)
{
	struct hunt_worker *w = ctx;

	hunt_output_hit(w->out, ev, hit);
}

/* Runs on a hunting thread: everything it touches is the worker's own,
 * except the rule set and the IOC set, which are read-only. */
static bool
worker_event(struct hunt_event *ev, void *ctx)
{
	struct hunt_worker *w = ctx;

	if (w->m != NULL)
		(void)sigma_match(w->m, ev, worker_sigma, w);
	if (w->cli->iocs != NULL)
		(void)ioc_match(w->cli->iocs, ev, worker_ioc, w);
	return true;
}

/* On the main thread after each window, part by part in order: the hits
 * come out in the order of a one-thread run. */
static void
worker_flush(void *thread_ctx, void *ctx)
{
	struct hunt_worker *w = thread_ctx;
	struct hunt_cli *c = ctx;

	fflush(w->mem);
	hunt_output_take(c->out, w->out, w->buf, w->len);
	rewind(w->mem);
	if (c->progress && c->stats->events - c->last_draw >= 20000) {
		c->last_draw = c->stats->events;
		draw_progress(c, false);
	}
}

static void
workers_free(struct hunt_cli *c)
{
	for (unsigned i = 0; i < c->nworkers; i++) {
		struct hunt_worker *w = &c->workers[i];

		hunt_output_free(w->out);
		if (w->mem != NULL)
			fclose(w->mem);
		free(w->buf);
		sigma_matcher_free(w->m);
	}
	c->nworkers = 0;
}

/* False on out-of-memory (the caller then hunts on one thread). */
static bool
workers_new(struct hunt_cli *c, const struct sigma_ruleset *rs, unsigned n,
    enum hunt_out_format fmt)
{
	for (unsigned i = 0; i < n; i++) {
		struct hunt_worker *w = &c->workers[i];

		memset(w, 0, sizeof(*w));
		c->nworkers = i + 1;
		w->cli = c;
		c->worker_ctx[i] = w;
		w->mem = open_memstream(&w->buf, &w->len);
		w->out = w->mem ? hunt_output_new_part(w->mem, fmt) : NULL;
		if (w->out == NULL ||
		    (rs != NULL && (w->m = sigma_matcher_new(rs)) == NULL)) {
			workers_free(c);
			return false;
		}
	}
	return true;
}

static void
on_error(const char *source, const char *msg, void *ctx)
{
	struct hunt_cli *c = ctx;

	c->errors++;
	fprintf(stderr, "%scsirt hunt: %s: %s\n", c->progress ? "\n" : "",
	    source, msg);
}

static uint64_t
input_size(const char *path)
{
	struct stat st;

	if (strcmp(path, "-") == 0 || stat(path, &st) != 0)
		return 0;
	if (S_ISREG(st.st_mode))
		return (uint64_t)st.st_size;
	return 0;	/* directories: measured as we go */
}

static double
now_sec(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * The IOC lists load on a thread of their own while the rules compile:
 * both are start-up costs of about the same size (1M IOCs about 0.7 CPU s,
 * the Windows rules 0.2 s) and neither reads the other.
 */
struct ioc_loader {
	struct ioc_set *set;
	const char **paths;
	size_t n;
	struct csirt_err err;
	enum csirt_rc rc;
};

static void *
ioc_loader_main(void *arg)
{
	struct ioc_loader *l = arg;

	l->rc = CSIRT_OK;
	for (size_t i = 0; i < l->n && l->rc == CSIRT_OK; i++)
		l->rc = ioc_set_load_file(l->set, l->paths[i], &l->err);
	return NULL;
}

/* ~/.cache/csirt, created if missing; false without a HOME. */
static bool
cache_dir(char *out, size_t len)
{
	const char *home = getenv("HOME");
	char parent[4096];

	if (home == NULL || snprintf(parent, sizeof(parent), "%s/.cache",
	    home) >= (int)sizeof(parent) || snprintf(out, len, "%s/csirt",
	    parent) >= (int)len)
		return false;
	(void)mkdir(parent, 0700);
	(void)mkdir(out, 0700);
	return true;
}

int
cmd_hunt(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "rules", required_argument, NULL, 'r' },
		{ "ioc", required_argument, NULL, 'i' },
		{ "yara", required_argument, NULL, 'y' },
		{ "yara-cache", required_argument, NULL, 'c' },
		{ "placeholders", required_argument, NULL, 'P' },
		{ "threads", required_argument, NULL, 'T' },
		{ "format", required_argument, NULL, 'f' },
		{ "post", required_argument, NULL, 'p' },
		{ "token", required_argument, NULL, 't' },
		{ "system", required_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char **rule_paths = calloc((size_t)argc + 1, sizeof(char *));
	const char **ioc_paths = calloc((size_t)argc + 1, sizeof(char *));
	const char **yara_paths = calloc((size_t)argc + 1, sizeof(char *));
	const char **ph_paths = calloc((size_t)argc + 1, sizeof(char *));
	size_t nrules = 0, niocs = 0, nyara = 0, nph = 0;
	const char *yara_cache = NULL;
	struct ioc_loader loader = { 0 };
	pthread_t loader_th;
	bool loading = false;
	char cache_buf[4096];
	struct hunt_yara *yara = NULL;
	const char *post_url = NULL, *token = getenv("CSIRT_TOKEN");
	int64_t system_id = -1, threads = 0;
	bool quiet = false, fmt_set = false;
	enum hunt_out_format fmt = HUNT_OUT_TABLE;
	struct hunt_cli c = { 0 };
	struct hunt_read_stats st = { 0 };
	struct hunt_input_opts in = { 0 };
	struct sigma_ruleset *rs = NULL;
	struct csirt_err err = { 0 };
	int opt, status = 2;
	double t0 = now_sec(), t_load, t_read = 0;

	if (rule_paths == NULL || ioc_paths == NULL || yara_paths == NULL ||
	    ph_paths == NULL)
		goto out;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "r:i:y:c:P:T:f:p:t:s:qh", opts, NULL)) != -1) {
		switch (opt) {
		case 'r': rule_paths[nrules++] = optarg; break;
		case 'i': ioc_paths[niocs++] = optarg; break;
		case 'y': yara_paths[nyara++] = optarg; break;
		case 'c': yara_cache = optarg; break;
		case 'P': ph_paths[nph++] = optarg; break;
		case 'T':
			if (parse_int64(optarg, 1, HUNT_CLI_MAX_THREADS, &threads) !=
			    CSIRT_OK) {
				fprintf(stderr, "csirt hunt: --threads needs 1 to %d\n",
				    HUNT_CLI_MAX_THREADS);
				goto out;
			}
			break;
		case 'f':
			fmt_set = true;
			if (strcmp(optarg, "table") == 0) fmt = HUNT_OUT_TABLE;
			else if (strcmp(optarg, "jsonl") == 0) fmt = HUNT_OUT_JSONL;
			else if (strcmp(optarg, "csv") == 0) fmt = HUNT_OUT_CSV;
			else {
				fprintf(stderr, "csirt hunt: unknown format '%s'\n",
				    optarg);
				goto out;
			}
			break;
		case 'p': post_url = optarg; break;
		case 't': token = optarg; break;
		case 's':
			if (parse_int64(optarg, 0, INT64_MAX, &system_id) != CSIRT_OK) {
				fprintf(stderr, "csirt hunt: --system needs a number\n");
				goto out;
			}
			break;
		case 'q': quiet = true; break;
		case 'h': usage(stdout); status = 0; goto out;
		default: usage(stderr); goto out;
		}
	}
	if (optind >= argc || (nrules == 0 && niocs == 0 && nyara == 0)) {
		fprintf(stderr, "csirt hunt: need --rules, --ioc or --yara, and an INPUT\n");
		usage(stderr);
		goto out;
	}
	if (post_url != NULL && (token == NULL || token[0] == '\0')) {
		fprintf(stderr, "csirt hunt: --post needs --token (or CSIRT_TOKEN)\n");
		goto out;
	}
	status = 1;	/* from here on, a failure is not a usage error */
	if (!fmt_set && !isatty(STDOUT_FILENO))
		fmt = HUNT_OUT_JSONL;
	if (niocs > 0) {
		c.iocs = ioc_set_new();
		if (c.iocs == NULL)
			goto out;
		loader = (struct ioc_loader){ .set = c.iocs, .paths = ioc_paths,
			.n = niocs };
		loading = pthread_create(&loader_th, NULL, ioc_loader_main,
		    &loader) == 0;
		if (!loading)
			(void)ioc_loader_main(&loader);	/* no thread: here */
	}
	if (nrules > 0) {
		rs = sigma_ruleset_new(NULL, 0, &err);
		if (rs == NULL) {
			fprintf(stderr, "csirt hunt: %s\n", err.msg);
			goto out;
		}
		for (size_t i = 0; i < nph; i++)
			if (sigma_ruleset_load_placeholders(rs, ph_paths[i], &err) !=
			    CSIRT_OK) {
				fprintf(stderr, "csirt hunt: %s\n", err.msg);
				goto out;
			}
		for (size_t i = 0; i < nrules; i++)
			if (sigma_ruleset_add_path(rs, rule_paths[i], &err) !=
			    CSIRT_OK) {
				fprintf(stderr, "csirt hunt: %s\n", err.msg);
				status = 1;
				goto out;
			}
		/* the compiled literal prefilter is kept between runs
		 * (CSIRT_HUNT_CACHE=none: compile it every time) */
		if (getenv("CSIRT_HUNT_CACHE") == NULL ||
		    strcmp(getenv("CSIRT_HUNT_CACHE"), "none") != 0) {
			char dir[4096];

			if (cache_dir(dir, sizeof(dir)) &&
			    sigma_ruleset_set_cache(rs, dir) != CSIRT_OK) {
				fprintf(stderr, "csirt hunt: out of memory\n");
				goto out;
			}
		}
		if (sigma_ruleset_compile(rs) != CSIRT_OK ||
		    (c.m = sigma_matcher_new(rs)) == NULL) {
			fprintf(stderr, "csirt hunt: out of memory\n");
			goto out;
		}
	}
	if (loading) {
		(void)pthread_join(loader_th, NULL);
		loading = false;
	}
	if (niocs > 0 && loader.rc != CSIRT_OK) {
		fprintf(stderr, "csirt hunt: %s\n", loader.err.msg);
		goto out;
	}
	if (nyara > 0) {
		yara = hunt_yara_new(yara_paths, nyara, &err);
		if (yara == NULL) {
			fprintf(stderr, "csirt hunt: %s\n", err.msg);
			goto out;
		}
		if (yara_cache == NULL) {
			char dir[4096];

			if (cache_dir(dir, sizeof(dir)) &&
			    snprintf(cache_buf, sizeof(cache_buf),
			    "%s/yara-scan.tsv", dir) < (int)sizeof(cache_buf))
				yara_cache = cache_buf;
		} else if (strcmp(yara_cache, "none") == 0) {
			yara_cache = NULL;
		}
	}
	t_load = now_sec() - t0;
	if (!quiet) {
		if (rs != NULL) {
			fprintf(stderr, "csirt hunt: %zu Sigma rules loaded, %zu "
			    "not usable (%.0f ms)\n", sigma_ruleset_count(rs),
			    sigma_ruleset_reject_count(rs), t_load * 1000);
			for (size_t i = 0; i < sigma_ruleset_reject_count(rs) &&
			    i < 20; i++) {
				const struct sigma_reject *r = sigma_ruleset_reject(rs, i);

				fprintf(stderr, "  not usable: %s: %s\n", r->path,
				    r->reason);
			}
			if (sigma_ruleset_reject_count(rs) > 20)
				fprintf(stderr, "  ... and %zu more (all are listed by "
				    "--format jsonl --quiet with CSIRT_HUNT_REJECTS=1)\n",
				    sigma_ruleset_reject_count(rs) - 20);
		}
		if (c.iocs != NULL)
			fprintf(stderr, "csirt hunt: %zu IOCs loaded (%.0f ms)\n",
			    ioc_set_count(c.iocs), t_load * 1000);
		if (yara != NULL) {
			fprintf(stderr, "csirt hunt: %zu YARA rules loaded, %zu rule "
			    "files not usable\n", hunt_yara_rule_count(yara),
			    hunt_yara_reject_count(yara));
			for (size_t i = 0; i < hunt_yara_reject_count(yara) && i < 20;
			    i++)
				fprintf(stderr, "  not usable: %s\n",
				    hunt_yara_reject(yara, i));
		}
	}
	if (rs != NULL && getenv("CSIRT_HUNT_REJECTS") != NULL)
		for (size_t i = 0; i < sigma_ruleset_reject_count(rs); i++)
			fprintf(stderr, "not usable: %s: %s\n",
			    sigma_ruleset_reject(rs, i)->path,
			    sigma_ruleset_reject(rs, i)->reason);
	c.out = hunt_output_new(stdout, fmt);
	if (c.out == NULL)
		goto out;
	if (post_url != NULL) {
		c.poster = hunt_poster_new(post_url, token, system_id, &err);
		if (c.poster == NULL) {
			fprintf(stderr, "csirt hunt: %s\n", err.msg);
			goto out;
		}
	}
	c.stats = &st;
	c.progress = !quiet && isatty(STDERR_FILENO);
	for (int i = optind; i < argc; i++)
		c.total_bytes += input_size(argv[i]);
	in.on_event = on_event;
	in.on_error = on_error;
	in.ctx = &c;
	in.stats = &st;
	/* Both cores (by default one thread per online CPU): each window of
	 * an input is split between threads with their own matchers, and
	 * their hits are written in file order. One thread when alerts are
	 * posted (the poster is not shared) or correlations need every event
	 * in one matcher. */
	if (threads == 0) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);

		threads = cpus < 1 ? 1 : cpus > HUNT_CLI_MAX_THREADS ?
		    HUNT_CLI_MAX_THREADS : cpus;
	}
	if (threads > 1 && c.poster == NULL &&
	    (rs == NULL || sigma_ruleset_correlation_count(rs) == 0) &&
	    workers_new(&c, rs, (unsigned)threads * HUNT_CLI_PARTS_PER_THREAD,
	    fmt)) {
		in.on_event = worker_event;
		in.threads = (unsigned)threads;
		in.parts = c.nworkers;
		in.thread_ctx = c.worker_ctx;
		in.on_flush = worker_flush;
	}
	status = 0;
	/* log hunting when there are Sigma rules or IOCs; YARA alone looks at
	 * the inputs only as files */
	t_read = now_sec();
	for (int i = optind; i < argc && (c.m != NULL || c.iocs != NULL); i++)
		if (hunt_input_read_path(argv[i], &in) != CSIRT_OK)
			status = 1;
	t_read = now_sec() - t_read;
	/* correlations decided at the end of a window report now */
	if (c.m != NULL)
		(void)sigma_matcher_flush(c.m, on_sigma, &c);
	if (yara != NULL) {
		struct hunt_yara_stats ys;

		if (hunt_yara_scan(yara, (const char *const *)argv + optind,
		    (size_t)(argc - optind), 0, yara_cache, on_ioc, on_error, &c,
		    &ys) != CSIRT_OK)
			status = 1;
		if (!quiet)
			fprintf(stderr, "csirt hunt: YARA: %" PRIu64 " files, %"
			    PRIu64 " scanned (%.1f MB), %" PRIu64 " unchanged "
			    "since the last run, %" PRIu64 " unreadable\n", ys.files,
			    ys.scanned, (double)ys.bytes / 1e6, ys.skipped, ys.errors);
	}
	if (c.progress)
		draw_progress(&c, true);
	if (c.poster != NULL) {
		struct hunt_post_stats ps;

		hunt_poster_finish(c.poster, &ps);
		if (!quiet || ps.failed > 0)
			fprintf(stderr, "csirt hunt: alerts posted %" PRIu64
			    ", failed %" PRIu64 "%s%s\n", ps.sent, ps.failed,
			    ps.first_error[0] ? ": " : "", ps.first_error);
		if (ps.failed > 0)
			status = 1;
		if (status == 0) {
			struct csirt_err aerr;
			json_t *result = json_pack("{s:I,s:I,s:I,s:I,s:I}", "files", (json_int_t)in.files,
			    "events", (json_int_t)st.events, "bytes", (json_int_t)st.bytes, "hits",
			    (json_int_t)hunt_output_hits(c.out), "alerts_posted", (json_int_t)ps.sent);
			char summary[200];

			snprintf(summary, sizeof(summary), "csirt hunt: %" PRIu64 " events, %" PRIu64
			    " hits", st.events, hunt_output_hits(c.out));
			csirt_err_clear(&aerr);
			if (hunt_poster_record_activity(c.poster, summary, result, &aerr) != CSIRT_OK) {
				fprintf(stderr, "csirt hunt: %s\n", aerr.msg);
				status = 1;
			}
			json_decref(result);
		}
	}
	if (!quiet) {
		hunt_output_summary(c.out, stderr, &st, in.files);
		/* the logs' reading on its own: what stays of a run's time
		 * however many rules and IOCs were loaded */
		fprintf(stderr, "  time: %.2f s (load %.0f ms, logs %.2f s: %.0f "
		    "MB/s), %.1f MB read\n", now_sec() - t0, t_load * 1000, t_read,
		    t_read > 0 ? (double)st.bytes / 1e6 / t_read : 0.0,
		    (double)st.bytes / 1e6);
	}
	fflush(stdout);
out:
	if (loading)	/* a failure while the IOCs were loading */
		(void)pthread_join(loader_th, NULL);
	workers_free(&c);
	hunt_poster_free(c.poster);
	hunt_output_free(c.out);
	sigma_matcher_free(c.m);
	sigma_ruleset_free(rs);
	ioc_set_free(c.iocs);
	hunt_yara_free(yara);
	free(yara_paths);
	free(ph_paths);
	free(rule_paths);
	free(ioc_paths);
	return status;
}
