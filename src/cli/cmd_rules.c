/*
 * cmd_rules.c - `csirt rules`: look at the rule packs, check a pack a
 * province has edited, and compute the deadlines of an incident from the
 * command line (the same library calls the server makes).
 */
#include "csirt/common.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "csirt/calendar.h"
#include "csirt/deadline.h"
#include "csirt/rulepack.h"
#include "csirt/serious.h"

int cmd_rules(int argc, char **argv);

static void
usage(FILE *out)
{
	fprintf(out,
	    "usage: csirt rules list [--lang vi|en]\n"
	    "       csirt rules show ID [--json | --lang vi|en]  (a pack or a rule id;\n"
	    "                                    --json prints a pack as a file to edit)\n"
	    "       csirt rules check FILE                  (validate a rule-pack file)\n"
	    "       csirt rules deadlines --detected TIME [options]\n"
	    "       csirt rules serious [--detected TIME | --pack ID] --level N [--national-critical]\n"
	    "                           [--impact NAME]... [--owner-cannot-handle] [--lang vi|en]\n"
	    "         impacts: service_disruption, secret_disclosure, integrity_unrecoverable,\n"
	    "                  loss_of_control, wide_spread\n"
	    "\n"
	    "deadlines options (TIME is 2026-08-20T10:00, Vietnam time unless it has Z or an offset):\n"
	    "  --pack ID               use this pack instead of the one for the detection date\n"
	    "  --file FILE             use the pack in FILE\n"
	    "  --beyond-capacity       the incident exceeds the operator's capacity\n"
	    "  --serious | --normal    the incident was classified serious / normal\n"
	    "  --national-security     signs touching national security or public order\n"
	    "  --personal-data         personal data affected\n"
	    "  --complex               a complex incident\n"
	    "  --received TIME         a notification was received at TIME\n"
	    "  --response-ended TIME   the response ended at TIME\n"
	    "  --contact-changed TIME  the incident contact point changed at TIME\n"
	    "  --lang vi|en            language of labels (default en)\n"
	    "  --json                  print JSON\n");
}

static const char *
duration_text(const struct rulepack_rule *r, char *buf, size_t n)
{
	switch (r->unit) {
	case UNIT_IMMEDIATE: return "immediately";
	case UNIT_NONE: return "no limit";
	case UNIT_HOURS: snprintf(buf, n, "%d h", r->value); break;
	case UNIT_CALENDAR_DAYS: snprintf(buf, n, "%d days", r->value); break;
	case UNIT_WORKING_DAYS: snprintf(buf, n, "%d working days", r->value); break;
	case UNIT_COUNT: return "?";
	}
	return buf;
}

static void
print_rule(const struct rulepack_rule *r, const char *lang, bool long_form)
{
	char dur[32];

	printf("  %-26s %-24s %-16s from %-18s %-3s %s\n", r->id,
	    rulepack_trigger_name(r->trigger), duration_text(r, dur, sizeof(dur)),
	    rulepack_anchor_name(r->anchor), r->confidence, r->source);
	if (!long_form)
		return;
	printf("      %s\n      -> %s\n", rulepack_text(&r->label, lang),
	    rulepack_text(&r->recipient, lang));
	if (r->note.vi != NULL)
		printf("      note: %s\n", rulepack_text(&r->note, lang));
}

static void
print_pack(const struct rulepack *p, const char *lang, bool long_form)
{
	const struct rulepack_serious *s = &p->serious;

	printf("%s  valid from %s  %s\n", p->id, p->valid_from,
	    rulepack_text(&p->title, lang));
	if (long_form && p->note.vi != NULL)
		printf("  %s\n", rulepack_text(&p->note, lang));
	if (s->defined) {
		printf("  serious incident: %s (%s, %s): level >= %d%s, one of %u impacts%s\n",
		    s->rule_id, s->source, s->confidence, s->min_level,
		    s->national_critical_list ? " or national critical list" : "",
		    (unsigned)__builtin_popcount(s->impacts),
		    s->owner_cannot_handle_required ? ", owner cannot handle it" : "");
	} else {
		printf("  serious incident: undefined (%s, %s)\n", s->rule_id, s->source);
		if (long_form)
			printf("  %s\n", rulepack_text(&s->note, lang));
	}
	for (size_t i = 0; i < p->rule_count; i++)
		print_rule(&p->rules[i], lang, long_form);
}

static int
rules_list(const char *lang)
{
	size_t n = rulepack_builtin_count();

	if (n == 0) {
		fprintf(stderr, "csirt rules: no rule pack is built in\n");
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		if (i)
			printf("\n");
		print_pack(rulepack_builtin_at(i), lang, false);
	}
	return 0;
}

static int
rules_show(const char *id, const char *lang, bool json)
{
	const struct rulepack *p = rulepack_find(id);

	if (p != NULL && json) {
		json_t *j = rulepack_to_json(p);
		char *s = json_dumps(j, JSON_INDENT(1) | JSON_PRESERVE_ORDER);

		json_decref(j);
		if (s == NULL)
			return 1;
		printf("%s\n", s);
		free(s);
		return 0;
	}
	if (p != NULL) {
		print_pack(p, lang, true);
		return 0;
	}
	for (size_t i = 0; i < rulepack_builtin_count(); i++) {
		const struct rulepack *pk = rulepack_builtin_at(i);
		const struct rulepack_rule *r = rulepack_rule_find(pk, id);

		if (r != NULL) {
			printf("%s (pack %s)\n", r->id, pk->id);
			print_rule(r, lang, true);
			return 0;
		}
	}
	fprintf(stderr, "csirt rules: no pack or rule '%s' (see csirt rules list)\n", id);
	return 1;
}

static int
rules_check(const char *path)
{
	struct rulepack *p;
	struct csirt_err err;

	if (rulepack_load_file(path, &p, &err) != CSIRT_OK) {
		fprintf(stderr, "csirt rules check: %s\n", err.msg);
		return 1;
	}
	printf("%s: valid rule pack %s (valid from %s, %zu rules, serious incident %s)\n",
	    path, p->id, p->valid_from, p->rule_count,
	    p->serious.defined ? "defined" : "undefined");
	rulepack_free(p);
	return 0;
}

static int
parse_time_arg(const char *opt, const char *s, int64_t *out)
{
	if (time_parse_iso(s, out) != CSIRT_OK || *out <= 0) {
		fprintf(stderr, "csirt rules: %s: '%s' is not a time like 2026-08-20T10:00\n",
		    opt, s);
		return -1;
	}
	return 0;
}

static void
print_deadline(const struct deadline *d, const char *lang)
{
	char due[32] = "-";

	if (d->status == DEADLINE_DUE)
		calendar_format_vn(d->due_at, due);
	else if (d->status == DEADLINE_IMMEDIATE)
		snprintf(due, sizeof(due), "immediately");
	printf("%-26s %-25s %-11s %-3s %s\n", d->rule->id, due,
	    deadline_status_code(d->status), d->rule->confidence, d->rule->source);
	printf("    %s -> %s\n", rulepack_text(&d->rule->label, lang),
	    rulepack_text(&d->rule->recipient, lang));
	if (d->reason[0])
		printf("    (%s)\n", d->reason);
}

static int
print_deadlines_json(const struct rulepack *pack, const struct deadline *dl,
    size_t n, const char *lang)
{
	json_t *arr = json_array(), *root;
	char *s;

	for (size_t i = 0; arr != NULL && i < n; i++)
		json_array_append_new(arr, deadline_to_json(&dl[i], lang));
	root = json_pack("{s:s, s:o}", "pack", pack->id, "deadlines", arr);
	s = root ? json_dumps(root, JSON_INDENT(2)) : NULL;
	json_decref(root);
	if (s == NULL) {
		fprintf(stderr, "csirt rules: out of memory\n");
		return 1;
	}
	printf("%s\n", s);
	free(s);
	return 0;
}

static int
rules_deadlines(int argc, char **argv)
{
	enum { O_DETECTED = 256, O_PACK, O_FILE, O_BEYOND, O_SERIOUS, O_NORMAL,
	    O_NATSEC, O_PDATA, O_COMPLEX, O_RECEIVED, O_ENDED, O_CONTACT, O_LANG,
	    O_JSON };
	static const struct option opts[] = {
		{ "detected", required_argument, NULL, O_DETECTED },
		{ "pack", required_argument, NULL, O_PACK },
		{ "file", required_argument, NULL, O_FILE },
		{ "beyond-capacity", no_argument, NULL, O_BEYOND },
		{ "serious", no_argument, NULL, O_SERIOUS },
		{ "normal", no_argument, NULL, O_NORMAL },
		{ "national-security", no_argument, NULL, O_NATSEC },
		{ "personal-data", no_argument, NULL, O_PDATA },
		{ "complex", no_argument, NULL, O_COMPLEX },
		{ "received", required_argument, NULL, O_RECEIVED },
		{ "response-ended", required_argument, NULL, O_ENDED },
		{ "contact-changed", required_argument, NULL, O_CONTACT },
		{ "lang", required_argument, NULL, O_LANG },
		{ "json", no_argument, NULL, O_JSON },
		{ NULL, 0, NULL, 0 },
	};
	struct deadline_facts f = { 0 };
	struct deadline dl[RULEPACK_MAX_RULES];
	struct rulepack *loaded = NULL;
	const struct rulepack *pack = NULL;
	const char *pack_id = NULL, *file = NULL, *lang = "en";
	struct csirt_err err;
	char when[32];
	bool json = false;
	int severity = -1, c, rc = 1;
	size_t n;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case O_DETECTED: if (parse_time_arg("--detected", optarg, &f.detected_at)) return 2; break;
		case O_RECEIVED: if (parse_time_arg("--received", optarg, &f.received_at)) return 2; break;
		case O_ENDED: if (parse_time_arg("--response-ended", optarg, &f.response_ended_at)) return 2; break;
		case O_CONTACT: if (parse_time_arg("--contact-changed", optarg, &f.contact_changed_at)) return 2; break;
		case O_PACK: pack_id = optarg; break;
		case O_FILE: file = optarg; break;
		case O_BEYOND: f.beyond_capacity = true; break;
		case O_SERIOUS: severity = SEVERITY_SERIOUS; break;
		case O_NORMAL: severity = SEVERITY_NORMAL; break;
		case O_NATSEC: f.national_security_signs = true; break;
		case O_PDATA: f.personal_data = true; break;
		case O_COMPLEX: f.complex = true; break;
		case O_LANG: lang = optarg; break;
		case O_JSON: json = true; break;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc || f.detected_at == 0) {
		fprintf(stderr, "csirt rules deadlines: --detected TIME is required\n");
		usage(stderr);
		return 2;
	}
	if (file != NULL) {
		if (rulepack_load_file(file, &loaded, &err) != CSIRT_OK) {
			fprintf(stderr, "csirt rules: %s\n", err.msg);
			return 1;
		}
		pack = loaded;
	} else if (pack_id != NULL) {
		pack = rulepack_find(pack_id);
		if (pack == NULL) {
			fprintf(stderr, "csirt rules: no pack '%s'\n", pack_id);
			return 1;
		}
	} else if (rulepack_for_date(f.detected_at, &pack, &err) != CSIRT_OK) {
		fprintf(stderr, "csirt rules: %s\n", err.msg);
		return 1;
	}
	/* Without a classification, a pack with no definition cannot say. */
	if (severity >= 0)
		f.severity = (enum severity)severity;
	else
		f.severity = pack->serious.defined ? SEVERITY_NORMAL : SEVERITY_UNDEFINED;
	if (deadline_compute(pack, NULL, &f, dl, ARRAY_SIZE(dl), &n, &err) != CSIRT_OK) {
		fprintf(stderr, "csirt rules: %s\n", err.msg);
		goto out;
	}
	if (json) {
		rc = print_deadlines_json(pack, dl, n, lang);
		goto out;
	}
	calendar_format_vn(f.detected_at, when);
	printf("pack %s (%s), detected %s, severity %s\n", pack->id,
	    rulepack_text(&pack->title, lang), when, severity_code(f.severity));
	printf("%-26s %-25s %-11s %-3s %s\n", "RULE", "DUE (Vietnam time)",
	    "STATUS", "CNF", "SOURCE");
	for (size_t i = 0; i < n; i++)
		print_deadline(&dl[i], lang);
	rc = 0;
out:
	rulepack_free(loaded);
	return rc;
}

/* The serious/normal test of the pack for the detection date (or --pack). */
static int
rules_serious(int argc, char **argv)
{
	enum { O_DETECTED = 256, O_PACK, O_LEVEL, O_NATCRIT, O_IMPACT, O_OWNER, O_LANG };
	static const struct option opts[] = {
		{ "detected", required_argument, NULL, O_DETECTED },
		{ "pack", required_argument, NULL, O_PACK },
		{ "level", required_argument, NULL, O_LEVEL },
		{ "national-critical", no_argument, NULL, O_NATCRIT },
		{ "impact", required_argument, NULL, O_IMPACT },
		{ "owner-cannot-handle", no_argument, NULL, O_OWNER },
		{ "lang", required_argument, NULL, O_LANG },
		{ NULL, 0, NULL, 0 },
	};
	struct serious_input in = { 0 };
	struct serious_result r;
	const struct rulepack *pack = NULL;
	const char *lang = "en";
	struct csirt_err err;
	int64_t detected = 0, level;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case O_DETECTED:
			if (parse_time_arg("--detected", optarg, &detected))
				return 2;
			break;
		case O_PACK:
			if ((pack = rulepack_find(optarg)) == NULL) {
				fprintf(stderr, "csirt rules: no pack '%s'\n", optarg);
				return 1;
			}
			break;
		case O_LEVEL:
			if (parse_int64(optarg, 0, 5, &level) != CSIRT_OK) {
				fprintf(stderr, "csirt rules: --level must be 0 (not classified) to 5\n");
				return 2;
			}
			in.system_level = (int)level;
			break;
		case O_NATCRIT: in.national_critical_list = true; break;
		case O_OWNER: in.owner_cannot_handle = true; break;
		case O_LANG: lang = optarg; break;
		case O_IMPACT:
			if (strcmp(optarg, "service_disruption") == 0) in.impact_service_disruption = true;
			else if (strcmp(optarg, "secret_disclosure") == 0) in.impact_secret_disclosure = true;
			else if (strcmp(optarg, "integrity_unrecoverable") == 0) in.impact_integrity_unrecoverable = true;
			else if (strcmp(optarg, "loss_of_control") == 0) in.impact_loss_of_control = true;
			else if (strcmp(optarg, "wide_spread") == 0) in.impact_wide_spread = true;
			else {
				fprintf(stderr, "csirt rules: unknown impact '%s'\n", optarg);
				return 2;
			}
			break;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	if (pack == NULL && rulepack_for_date(detected ? detected : time_now(),
	    &pack, &err) != CSIRT_OK) {
		fprintf(stderr, "csirt rules: %s\n", err.msg);
		return 1;
	}
	if (serious_assess(pack, &in, &r, &err) != CSIRT_OK) {
		fprintf(stderr, "csirt rules: %s\n", err.msg);
		return 1;
	}
	printf("%s (pack %s, rule %s, %s, confidence %s)\n", severity_code(r.result),
	    pack->id, r.rule_id, r.source, r.confidence);
	printf("%s\n", strcmp(lang, "vi") == 0 ? r.message_vi : r.message_en);
	for (size_t i = 0; i < r.held_count; i++)
		printf("  held: %-32s %s\n", r.held[i]->id,
		    strcmp(lang, "vi") == 0 ? r.held[i]->vi : r.held[i]->en);
	return 0;
}

int
cmd_rules(int argc, char **argv)
{
	const char *lang = "en";

	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (argc >= 4 && strcmp(argv[argc - 2], "--lang") == 0 &&
	    (strcmp(argv[1], "list") == 0 || strcmp(argv[1], "show") == 0))
		lang = argv[argc - 1];
	if (strcmp(argv[1], "list") == 0)
		return rules_list(lang);
	if (strcmp(argv[1], "show") == 0 && argc >= 3)
		return rules_show(argv[2], lang,
		    argc >= 4 && strcmp(argv[3], "--json") == 0);
	if (strcmp(argv[1], "check") == 0 && argc == 3)
		return rules_check(argv[2]);
	if (strcmp(argv[1], "deadlines") == 0)
		return rules_deadlines(argc - 1, argv + 1);
	if (strcmp(argv[1], "serious") == 0)
		return rules_serious(argc - 1, argv + 1);
	usage(stderr);
	return 2;
}
