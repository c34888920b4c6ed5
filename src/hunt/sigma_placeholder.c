/*
 * sigma_placeholder.c - values for the placeholders of the |expand modifier
 * (Sigma rules specification, "Placeholders").
 *
 * A placeholder such as %Administrators% means a list of values that only
 * the site knows. They come from YAML files of the form
 *
 *     placeholders:
 *       Administrators: [admin_*, 'CONTOSO\da_*']
 *       Workstations: 'WS-*'
 *
 * (the built-in data/hunt/sigma-placeholders.yml, then any file given with
 * sigma_ruleset_load_placeholders). A value with placeholders expands to
 * every combination of their values (an OR, capped), and the values keep
 * Sigma's wildcards. A placeholder without a configured value rejects the
 * rule with that reason: the specification says a tool that cannot resolve
 * a placeholder must reject the rule, never guess.
 */
#include "sigma_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PLACEHOLDER_FILE_MAX (1u << 20)
#define PLACEHOLDER_MAX_VALUES 4096
#define PLACEHOLDER_NAME_MAX 128

void
sigma_placeholders_release(struct sigma_ruleset *rs)
{
	for (size_t i = 0; i < rs->nplaceholders; i++) {
		struct sigma_placeholder *p = &rs->placeholders[i];

		free(p->name);
		for (size_t k = 0; k < p->nvalues; k++)
			free(p->values[k]);
		free(p->values);
	}
	free(rs->placeholders);
	rs->placeholders = NULL;
	rs->nplaceholders = 0;
}

const struct sigma_placeholder *
sigma_placeholder_find(const struct sigma_ruleset *rs, const char *name,
    size_t len)
{
	for (size_t i = 0; i < rs->nplaceholders; i++)
		if (strlen(rs->placeholders[i].name) == len &&
		    memcmp(rs->placeholders[i].name, name, len) == 0)
			return &rs->placeholders[i];
	return NULL;
}

/* Takes 'name' and 'values'; replaces an earlier entry of that name. */
static enum csirt_rc
placeholder_put(struct sigma_ruleset *rs, char *name, char **values,
    size_t nvalues)
{
	struct sigma_placeholder *p = (struct sigma_placeholder *)
	    sigma_placeholder_find(rs, name, strlen(name));

	if (p != NULL) {
		for (size_t k = 0; k < p->nvalues; k++)
			free(p->values[k]);
		free(p->values);
		free(name);
	} else {
		p = realloc(rs->placeholders, (rs->nplaceholders + 1) *
		    sizeof(*p));
		if (p == NULL) {
			free(name);
			for (size_t k = 0; k < nvalues; k++)
				free(values[k]);
			free(values);
			return CSIRT_ENOMEM;
		}
		rs->placeholders = p;
		p = &rs->placeholders[rs->nplaceholders++];
		p->name = name;
	}
	p->values = values;
	p->nvalues = nvalues;
	return CSIRT_OK;
}

enum csirt_rc
sigma_ruleset_set_placeholders(struct sigma_ruleset *rs, const char *yaml,
    size_t len, const char *origin, struct csirt_err *err)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root, *map;
	enum csirt_rc rc = CSIRT_EPARSE;

	if (!yaml_parser_initialize(&parser))
		return CSIRT_ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, len);
	if (!yaml_parser_load(&parser, &doc)) {
		yaml_parser_delete(&parser);
		return csirt_err_set(err, CSIRT_EPARSE, "placeholders",
		    "%s: not valid YAML (line %zu)", origin,
		    (size_t)parser.problem_mark.line + 1);
	}
	root = yaml_document_get_root_node(&doc);
	map = root ? sigma_yaml_get(&doc, root, "placeholders") : NULL;
	if (map == NULL || map->type != YAML_MAPPING_NODE) {
		csirt_err_set(err, CSIRT_EPARSE, "placeholders",
		    "%s: needs a 'placeholders:' map of name: values", origin);
		goto out;
	}
	for (yaml_node_pair_t *pr = map->data.mapping.pairs.start;
	    pr < map->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(&doc, pr->key);
		yaml_node_t *v = yaml_document_get_node(&doc, pr->value);
		char *name = sigma_yaml_str(k), **values = NULL;
		size_t nvalues = 0;

		if (name == NULL || name[0] == '\0' ||
		    strlen(name) > PLACEHOLDER_NAME_MAX || strchr(name, '%')) {
			free(name);
			csirt_err_set(err, CSIRT_EPARSE, "placeholders",
			    "%s: a placeholder name must be a short string "
			    "without '%%'", origin);
			goto out;
		}
		if (v != NULL && v->type == YAML_SCALAR_NODE) {
			values = calloc(1, sizeof(*values));
			if (values != NULL && (values[0] = sigma_yaml_str(v)) != NULL)
				nvalues = 1;
		} else if (v != NULL && v->type == YAML_SEQUENCE_NODE) {
			values = sigma_yaml_strlist(&doc, v, &nvalues);
		}
		if (nvalues == 0 || nvalues > PLACEHOLDER_MAX_VALUES) {
			csirt_err_set(err, CSIRT_EPARSE, "placeholders",
			    "%s: placeholder '%s' needs 1 to %d string values",
			    origin, name, PLACEHOLDER_MAX_VALUES);
			free(name);
			for (size_t i = 0; i < nvalues; i++)
				free(values[i]);
			free(values);
			goto out;
		}
		rc = placeholder_put(rs, name, values, nvalues);
		if (rc != CSIRT_OK)
			goto out;
	}
	rc = CSIRT_OK;
out:
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return rc;
}

enum csirt_rc
sigma_ruleset_load_placeholders(struct sigma_ruleset *rs, const char *path,
    struct csirt_err *err)
{
	FILE *fp = fopen(path, "rb");
	struct buf b;
	char chunk[16384];
	size_t n;
	enum csirt_rc rc = CSIRT_OK;

	if (fp == NULL)
		return csirt_err_set(err, CSIRT_EIO, "placeholders",
		    "cannot open %s: %s", path, strerror(errno));
	buf_init(&b, PLACEHOLDER_FILE_MAX);
	while (rc == CSIRT_OK && (n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (buf_append(&b, chunk, n) != CSIRT_OK)
			rc = csirt_err_set(err, CSIRT_ETOOBIG, "placeholders",
			    "%s is larger than 1 MiB", path);
	if (rc == CSIRT_OK && ferror(fp))
		rc = csirt_err_set(err, CSIRT_EIO, "placeholders",
		    "cannot read %s", path);
	if (rc == CSIRT_OK)
		rc = sigma_ruleset_set_placeholders(rs, b.data ? b.data : "",
		    b.len, path, err);
	fclose(fp);
	buf_release(&b);
	return rc;
}
