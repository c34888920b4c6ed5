/*
 * sigma_load.c - rule files into a rule set: a YAML buffer, a file, or a
 * directory walked recursively in sorted order (rules and rejects come out
 * in that order).
 *
 * Reading and parsing the files is ~45% of compiling SigmaHQ's 2,397
 * Windows rules with the prefilter from its cache (perf: yaml_parser_load
 * 30%, fread and fopen 11%; 0.18-0.19 s wall). Parsing them on loader
 * threads, up to 128 files ahead of the thread adding their documents,
 * was slower (4 alternated rounds: 0.24-0.25 s wall, user+sys 0.35
 * against 0.2): the documents were allocated in the loaders' malloc
 * arenas and freed by the adding thread, and fresh memory's first touch
 * is dear on this kind of VM. So one file at a time, on the caller's
 * thread.
 */
#include "sigma_int.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define RULE_FILE_MAX (4u << 20)
#define WALK_MAX_DEPTH 32
#define DOCS_MAX 1000		/* YAML documents per file */

/* A file read and parsed (or the reason it was not). */
struct parsed {
	yaml_document_t *docs;
	size_t ndocs;
	enum csirt_rc rc;	/* CSIRT_EIO: cannot open; CSIRT_ENOMEM */
	char why[WHY_LEN];	/* rc == EIO: the error; else a reject, or "" */
};

static void
parsed_release(struct parsed *p)
{
	for (size_t i = 0; i < p->ndocs; i++)
		yaml_document_delete(&p->docs[i]);
	free(p->docs);
	p->docs = NULL;
	p->ndocs = 0;
}

/* Parses yaml[0, len) into p's documents; a YAML error ends the list and
 * leaves its reason in p->why (the documents before it are kept). */
static void
parse_yaml(const char *yaml, size_t len, struct parsed *p)
{
	yaml_parser_t parser;

	if (!yaml_parser_initialize(&parser)) {
		p->rc = CSIRT_ENOMEM;
		return;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, len);
	/* Bounded: each load consumes input; libyaml ends with an empty doc. */
	for (int n = 0; n < DOCS_MAX; n++) {
		yaml_document_t doc, *docs;

		if (!yaml_parser_load(&parser, &doc)) {
			snprintf(p->why, sizeof(p->why),
			    "YAML error at line %zu: %s",
			    parser.problem_mark.line + 1,
			    parser.problem ? parser.problem : "malformed");
			break;
		}
		if (yaml_document_get_root_node(&doc) == NULL) {
			yaml_document_delete(&doc);
			break;
		}
		docs = realloc(p->docs, (p->ndocs + 1) * sizeof(*docs));
		if (docs == NULL) {
			yaml_document_delete(&doc);
			p->rc = CSIRT_ENOMEM;
			break;
		}
		p->docs = docs;
		p->docs[p->ndocs++] = doc;
	}
	yaml_parser_delete(&parser);
}

/* Reads and parses one file (any thread). */
static void
parse_file(const char *path, struct parsed *p)
{
	FILE *fp = fopen(path, "rb");
	struct buf b;
	char chunk[65536];
	size_t n;

	if (fp == NULL) {
		p->rc = CSIRT_EIO;
		snprintf(p->why, sizeof(p->why), "cannot open %s: %s", path,
		    strerror(errno));
		return;
	}
	buf_init(&b, RULE_FILE_MAX);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (buf_append(&b, chunk, n) != CSIRT_OK) {
			snprintf(p->why, sizeof(p->why),
			    "rule file larger than 4 MiB");
			goto out;
		}
	parse_yaml(b.data ? b.data : "", b.len, p);
out:
	fclose(fp);
	buf_release(&b);
}

/* Adds p's documents (caller's thread), then its reject if any. */
static enum csirt_rc
add_parsed(struct sigma_ruleset *rs, struct parsed *p, const char *path,
    struct csirt_err *err)
{
	enum csirt_rc rc = CSIRT_OK;

	if (p->rc == CSIRT_EIO)
		return csirt_err_set(err, CSIRT_EIO, "rules", "%s", p->why);
	for (size_t i = 0; i < p->ndocs && rc == CSIRT_OK; i++)
		rc = sigma_add_document(rs, &p->docs[i], path);
	if (rc == CSIRT_OK && p->rc != CSIRT_OK)
		rc = p->rc;
	if (rc == CSIRT_OK && p->why[0] != '\0')
		rc = sigma_reject(rs, path, NULL, NULL, p->why);
	return rc;
}

enum csirt_rc
sigma_ruleset_add_yaml(struct sigma_ruleset *rs, const char *yaml, size_t len,
    const char *path)
{
	struct parsed p = { .rc = CSIRT_OK };
	enum csirt_rc rc;

	if (rs->compiled)
		return CSIRT_ECONFLICT;
	parse_yaml(yaml, len, &p);
	rc = add_parsed(rs, &p, path, NULL);
	parsed_release(&p);
	return rc;
}

/* ---- directories ---- */

struct file_list {
	char **paths;
	size_t n, cap;
};

static bool
is_yaml_name(const char *n)
{
	size_t l = strlen(n);

	return (l > 4 && strcmp(n + l - 4, ".yml") == 0) ||
	    (l > 5 && strcmp(n + l - 5, ".yaml") == 0);
}

static enum csirt_rc
list_add(struct file_list *l, const char *path)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		char **p = realloc(l->paths, cap * sizeof(*p));

		if (p == NULL)
			return CSIRT_ENOMEM;
		l->paths = p;
		l->cap = cap;
	}
	if ((l->paths[l->n] = sigma_strndup(path, strlen(path))) == NULL)
		return CSIRT_ENOMEM;
	l->n++;
	return CSIRT_OK;
}

/* The YAML files under dir, in the order a depth-first walk of sorted
 * names meets them. */
static enum csirt_rc
walk(struct file_list *l, const char *dir, int depth, struct csirt_err *err)
{
	struct dirent **names;
	struct stat st;
	enum csirt_rc rc = CSIRT_OK;
	int n;

	if (depth >= WALK_MAX_DEPTH)
		return CSIRT_OK;
	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0)
		return csirt_err_set(err, CSIRT_EIO, "rules", "cannot list %s",
		    dir);
	for (int i = 0; i < n; i++) {
		char sub[4096];
		const char *nm = names[i]->d_name;

		if (rc == CSIRT_OK && nm[0] != '.' &&
		    snprintf(sub, sizeof(sub), "%s/%s", dir, nm) <
		    (int)sizeof(sub)) {
			if (stat(sub, &st) == 0 && S_ISDIR(st.st_mode))
				rc = walk(l, sub, depth + 1, err);
			else if (is_yaml_name(nm))
				rc = list_add(l, sub);
			if (rc == CSIRT_EIO)	/* one unreadable folder: go on */
				rc = CSIRT_OK;
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

/* The files of a list, in order: read, parsed, added, one at a time. */
static enum csirt_rc
load_files(struct sigma_ruleset *rs, const struct file_list *l,
    struct csirt_err *err)
{
	enum csirt_rc rc = CSIRT_OK;

	for (size_t i = 0; i < l->n && rc == CSIRT_OK; i++) {
		struct parsed p = { .rc = CSIRT_OK };

		parse_file(l->paths[i], &p);
		rc = add_parsed(rs, &p, l->paths[i], err);
		if (rc == CSIRT_EIO)	/* one unreadable file: go on */
			rc = CSIRT_OK;
		parsed_release(&p);
	}
	return rc;
}

enum csirt_rc
sigma_ruleset_add_path(struct sigma_ruleset *rs, const char *path,
    struct csirt_err *err)
{
	struct file_list l = { 0 };
	struct stat st;
	enum csirt_rc rc;

	if (rs->compiled)
		return CSIRT_ECONFLICT;
	if (stat(path, &st) != 0)
		return csirt_err_set(err, CSIRT_EIO, "rules", "cannot open %s: %s",
		    path, strerror(errno));
	if (!S_ISDIR(st.st_mode)) {
		struct parsed p = { .rc = CSIRT_OK };

		parse_file(path, &p);
		rc = add_parsed(rs, &p, path, err);
		parsed_release(&p);
		return rc;
	}
	rc = walk(&l, path, 0, err);
	if (rc == CSIRT_OK)
		rc = load_files(rs, &l, err);
	for (size_t i = 0; i < l.n; i++)
		free(l.paths[i]);
	free(l.paths);
	return rc;
}
