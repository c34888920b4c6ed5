/*
 * test_sigma.c - Sigma semantics, one rule at a time against hand-made
 * events: every modifier, the condition grammar, logsource dispatch,
 * filters, and rules that must be rejected with a reason.
 */
#include "csirt/common.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "csirt/hunt.h"
#include "csirt/sigma.h"
#include "hunt/sigma_int.h"

static struct hunt_event ev;

/* A Sysmon process-creation event with the given extra fields. */
static void
event_proc(const char *const *kv)
{
	hunt_event_reset(&ev);
	ev.format = HUNT_FORMAT_EVTX;
	ev.source = "test";
	hunt_event_add(&ev, "Channel", 7, "Microsoft-Windows-Sysmon/Operational",
	    36);
	hunt_event_add(&ev, "EventID", 7, "1", 1);
	hunt_event_add(&ev, "Computer", 8, "pc1", 3);
	for (size_t i = 0; kv[i] != NULL; i += 2)
		hunt_event_add(&ev, kv[i], strlen(kv[i]), kv[i + 1],
		    strlen(kv[i + 1]));
	hunt_event_finish(&ev);
}

static const char header[] =
    "title: t\nid: r1\nlevel: high\n"
    "logsource: {product: windows, category: process_creation}\n"
    "detection:\n";

/* Compiles one rule (detection body) and matches the current event.
 * Returns hits, or -1 when the rule was rejected. */
static int
run(const char *detection)
{
	char yaml[4096];
	struct csirt_err err = { 0 };
	struct sigma_ruleset *rs = sigma_ruleset_new(NULL, 0, &err);
	struct sigma_matcher *m;
	int hits;

	assert_non_null(rs);
	snprintf(yaml, sizeof(yaml), "%s%s", header, detection);
	assert_int_equal(sigma_ruleset_add_yaml(rs, yaml, strlen(yaml), "t.yml"),
	    CSIRT_OK);
	assert_int_equal(sigma_ruleset_compile(rs), CSIRT_OK);
	if (sigma_ruleset_count(rs) == 0) {
		assert_int_equal(sigma_ruleset_reject_count(rs), 1);
		sigma_ruleset_free(rs);
		return -1;
	}
	m = sigma_matcher_new(rs);
	assert_non_null(m);
	hits = (int)sigma_match(m, &ev, NULL, NULL);
	sigma_matcher_free(m);
	sigma_ruleset_free(rs);
	return hits;
}

static const char *const cmd_ev[] = {
	"Image", "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
	"CommandLine", "powershell.exe -NoProfile -EncodedCommand SQBFAFgA",
	"ParentImage", "C:\\Windows\\explorer.exe",
	"User", "PC1\\alice",
	"DestinationIp", "10.1.2.3",
	"ProcessId", "4242",
	"OriginalFileName", "PowerShell.EXE",
	NULL,
};

static void
test_strings(void **state)
{
	(void)state;
	event_proc(cmd_ev);
	assert_int_equal(run("  s:\n    Image|endswith: '\\powershell.exe'\n"
	    "  condition: s\n"), 1);
	assert_int_equal(run("  s:\n    Image|endswith: '\\pwsh.exe'\n"
	    "  condition: s\n"), 0);
	/* case-insensitive by default, exact match without wildcards */
	assert_int_equal(run("  s:\n    OriginalFileName: 'powershell.exe'\n"
	    "  condition: s\n"), 1);
	assert_int_equal(run("  s:\n    OriginalFileName: 'powershell'\n"
	    "  condition: s\n"), 0);
	/* cased */
	assert_int_equal(run("  s:\n    OriginalFileName|cased: 'powershell.exe'\n"
	    "  condition: s\n"), 0);
	assert_int_equal(run("  s:\n    OriginalFileName|cased: 'PowerShell.EXE'\n"
	    "  condition: s\n"), 1);
	/* wildcards inside a value */
	assert_int_equal(run("  s:\n    CommandLine: '*-NoP*-Enc*'\n"
	    "  condition: s\n"), 1);
	assert_int_equal(run("  s:\n    CommandLine: 'powershell.exe ?NoProfile*'\n"
	    "  condition: s\n"), 1);
	/* escaped wildcard is literal */
	assert_int_equal(run("  s:\n    CommandLine|contains: '\\*'\n"
	    "  condition: s\n"), 0);
	/* list = OR; |all = AND */
	assert_int_equal(run("  s:\n    CommandLine|contains:\n      - 'nothing'\n"
	    "      - 'EncodedCommand'\n  condition: s\n"), 1);
	assert_int_equal(run("  s:\n    CommandLine|contains|all:\n"
	    "      - 'nothing'\n      - 'EncodedCommand'\n  condition: s\n"), 0);
	assert_int_equal(run("  s:\n    CommandLine|contains|all:\n"
	    "      - 'NoProfile'\n      - 'EncodedCommand'\n  condition: s\n"), 1);
	/* startswith */
	assert_int_equal(run("  s:\n    ParentImage|startswith: 'c:\\windows\\'\n"
	    "  condition: s\n"), 1);
}

static void
test_modifiers(void **state)
{
	(void)state;
	event_proc(cmd_ev);
	/* windash: '-' in the rule also matches '/' and the unicode dashes */
	assert_int_equal(run("  s:\n    CommandLine|windash|contains: '/NoProfile'\n"
	    "  condition: s\n"), 1);
	assert_int_equal(run("  s:\n    CommandLine|contains: '/NoProfile'\n"
	    "  condition: s\n"), 0);
	/* re: case-sensitive unless |i */
	assert_int_equal(run("  s:\n    CommandLine|re: '-enc[a-z]*command'\n"
	    "  condition: s\n"), 0);
	assert_int_equal(run("  s:\n    CommandLine|re|i: '-enc[a-z]*command'\n"
	    "  condition: s\n"), 1);
	/* cidr */
	assert_int_equal(run("  s:\n    DestinationIp|cidr: '10.0.0.0/8'\n"
	    "  condition: s\n"), 1);
	assert_int_equal(run("  s:\n    DestinationIp|cidr: '192.168.0.0/16'\n"
	    "  condition: s\n"), 0);
	/* numbers */
	assert_int_equal(run("  s:\n    ProcessId|gt: 4000\n  condition: s\n"), 1);
	assert_int_equal(run("  s:\n    ProcessId|lte: 4000\n  condition: s\n"), 0);
	/* exists */
	assert_int_equal(run("  s:\n    User|exists: true\n  condition: s\n"), 1);
	assert_int_equal(run("  s:\n    Hashes|exists: true\n  condition: s\n"), 0);
	assert_int_equal(run("  s:\n    Hashes|exists: false\n  condition: s\n"), 1);
	/* null: absent field */
	assert_int_equal(run("  s:\n    Hashes: null\n  condition: s\n"), 1);
	assert_int_equal(run("  s:\n    User: null\n  condition: s\n"), 0);
	/* neq */
	assert_int_equal(run("  s:\n    User|neq: 'PC1\\bob'\n  condition: s\n"), 1);
	assert_int_equal(run("  s:\n    User|neq: 'pc1\\alice'\n  condition: s\n"), 0);
	/* fieldref */
	assert_int_equal(run("  s:\n    Image|fieldref: ParentImage\n"
	    "  condition: s\n"), 0);
	assert_int_equal(run("  s:\n    Image|fieldref: Image\n"
	    "  condition: s\n"), 1);
	/* base64 of "IEX" (UTF-16LE) is SQBFAFgA; utf16le|base64offset finds it */
	assert_int_equal(run("  s:\n    CommandLine|utf16le|base64offset|contains:"
	    " 'IEX'\n  condition: s\n"), 1);
	assert_int_equal(run("  s:\n    CommandLine|base64|contains: 'IEX'\n"
	    "  condition: s\n"), 0);
}

/* Date-part modifiers on 2026-01-01T23:45:07Z (a Thursday: ISO week 1)
 * and on 2027-01-01 (a Friday: still week 53 of 2026). */
static void
test_dateparts(void **state)
{
	static const char *const when[] = { "UtcTime", "2026-01-01T23:45:07.123Z",
		"LocalDate", "2027/01/01", "Bad", "yesterday", NULL };

	(void)state;
	event_proc(when);
	assert_int_equal(run("  s:\n    UtcTime|minute: 45\n  condition: s\n"), 1);
	assert_int_equal(run("  s:\n    UtcTime|minute: 7\n  condition: s\n"), 0);
	assert_int_equal(run("  s:\n    UtcTime|hour: 23\n  condition: s\n"), 1);
	assert_int_equal(run("  s:\n    UtcTime|hour:\n      - 1\n      - 2\n"
	    "  condition: s\n"), 0);
	assert_int_equal(run("  s:\n    UtcTime|day: 1\n  condition: s\n"), 1);
	assert_int_equal(run("  s:\n    UtcTime|week: 1\n  condition: s\n"), 1);
	assert_int_equal(run("  s:\n    LocalDate|week: 53\n  condition: s\n"), 1);
	assert_int_equal(run("  s:\n    UtcTime|month: 1\n  condition: s\n"), 1);
	assert_int_equal(run("  s:\n    UtcTime|year: 2026\n  condition: s\n"), 1);
	assert_int_equal(run("  s:\n    LocalDate|year: 2026\n  condition: s\n"), 0);
	/* no time of day in the value: no hour */
	assert_int_equal(run("  s:\n    LocalDate|hour: 0\n  condition: s\n"), 0);
	/* with a comparison: outside office hours */
	assert_int_equal(run("  s:\n    UtcTime|hour|gte: 20\n  condition: s\n"), 1);
	assert_int_equal(run("  s:\n    UtcTime|hour|lt: 8\n  condition: s\n"), 0);
	assert_int_equal(run("  s:\n    UtcTime|hour|neq: 23\n  condition: s\n"), 0);
	/* not a date: never matches; a non-number or string modifier: rejected */
	assert_int_equal(run("  s:\n    Bad|day: 1\n  condition: s\n"), 0);
	assert_int_equal(run("  s:\n    UtcTime|day: 'first'\n  condition: s\n"), -1);
	assert_int_equal(run("  s:\n    UtcTime|contains|day: 1\n  condition: s\n"),
	    -1);
}

/* Like run(), with the placeholder values of data/placeholders.yml. */
static int
run_placeholders(const char *detection, char *why, size_t wl)
{
	char yaml[4096];
	struct csirt_err err = { 0 };
	struct sigma_ruleset *rs = sigma_ruleset_new(NULL, 0, &err);
	struct sigma_matcher *m;
	int hits;

	assert_non_null(rs);
	assert_int_equal(sigma_ruleset_load_placeholders(rs,
	    HUNT_TEST_DATA "/placeholders.yml", &err), CSIRT_OK);
	snprintf(yaml, sizeof(yaml), "%s%s", header, detection);
	assert_int_equal(sigma_ruleset_add_yaml(rs, yaml, strlen(yaml), "t.yml"),
	    CSIRT_OK);
	assert_int_equal(sigma_ruleset_compile(rs), CSIRT_OK);
	if (sigma_ruleset_count(rs) == 0) {
		snprintf(why, wl, "%s", sigma_ruleset_reject(rs, 0)->reason);
		sigma_ruleset_free(rs);
		return -1;
	}
	m = sigma_matcher_new(rs);
	hits = (int)sigma_match(m, &ev, NULL, NULL);
	sigma_matcher_free(m);
	sigma_ruleset_free(rs);
	return hits;
}

static void
test_placeholders(void **state)
{
	static const char *const more[] = { "Note", "100% sure", NULL };
	char why[256] = "";
	struct csirt_err err = { 0 };
	struct sigma_ruleset *rs;

	(void)state;
	event_proc(cmd_ev);
	/* a list of values is an OR */
	assert_int_equal(run_placeholders("  s:\n    User|expand: '%Admins%'\n"
	    "  condition: s\n", why, sizeof(why)), 1);
	/* placeholders inside a value, with other modifiers after expand */
	assert_int_equal(run_placeholders("  s:\n    CommandLine|expand|contains:"
	    " '%Shells%.exe -NoProfile'\n  condition: s\n", why, sizeof(why)), 1);
	assert_int_equal(run_placeholders("  s:\n    Image|expand|endswith:"
	    " '\\%Shells%'\n  condition: s\n", why, sizeof(why)), 0);
	/* wildcards in placeholder values work */
	assert_int_equal(run_placeholders("  s:\n    User|expand: '%Workstations%\\alice'\n"
	    "  condition: s\n", why, sizeof(why)), 1);
	/* two placeholders: every combination */
	assert_int_equal(run_placeholders("  s:\n    User|expand:"
	    " '%Domains%\\\\%Users%'\n  condition: s\n", why, sizeof(why)), 1);
	assert_int_equal(run_placeholders("  s:\n    User|expand:"
	    " '%Users%\\\\%Domains%'\n  condition: s\n", why, sizeof(why)), 0);
	/* without expand, %name% is a plain value */
	assert_int_equal(run_placeholders("  s:\n    User: '%Admins%'\n"
	    "  condition: s\n", why, sizeof(why)), 0);
	/* an unknown placeholder rejects the rule, naming it */
	assert_int_equal(run_placeholders("  s:\n    User|expand: '%Servers%'\n"
	    "  condition: s\n", why, sizeof(why)), -1);
	assert_non_null(strstr(why, "%Servers%"));
	/* \% is a plain percent sign, not a placeholder */
	event_proc(more);
	assert_int_equal(run_placeholders("  s:\n    Note|expand: '100\\% sure'\n"
	    "  condition: s\n", why, sizeof(why)), 1);
	/* a broken placeholder file is an error with a reason */
	rs = sigma_ruleset_new(NULL, 0, &err);
	assert_int_equal(sigma_ruleset_set_placeholders(rs, "placeholders: [a]",
	    17, "x.yml", &err), CSIRT_EPARSE);
	assert_non_null(strstr(err.msg, "x.yml"));
	assert_int_equal(sigma_ruleset_set_placeholders(rs,
	    "placeholders: {A: []}", 21, "y.yml", &err), CSIRT_EPARSE);
	sigma_ruleset_free(rs);
}

static void
test_conditions(void **state)
{
	(void)state;
	event_proc(cmd_ev);
	assert_int_equal(run("  a:\n    Image|endswith: 'powershell.exe'\n"
	    "  b:\n    User: 'x'\n  condition: a and not b\n"), 1);
	assert_int_equal(run("  a:\n    Image|endswith: 'powershell.exe'\n"
	    "  b:\n    User: 'x'\n  condition: a and b\n"), 0);
	assert_int_equal(run("  a:\n    Image|endswith: 'powershell.exe'\n"
	    "  b:\n    User: 'x'\n  condition: not (a and b)\n"), 1);
	assert_int_equal(run("  sel_a:\n    User: 'x'\n  sel_b:\n"
	    "    Image|contains: 'shell'\n  condition: 1 of sel_*\n"), 1);
	assert_int_equal(run("  sel_a:\n    User: 'x'\n  sel_b:\n"
	    "    Image|contains: 'shell'\n  condition: all of sel_*\n"), 0);
	assert_int_equal(run("  sel_a:\n    User|contains: 'alice'\n  sel_b:\n"
	    "    Image|contains: 'shell'\n  _x:\n    User: 'nobody'\n"
	    "  condition: all of them\n"), 1);
	/* list of maps = OR; a condition list = OR */
	assert_int_equal(run("  s:\n    - User: 'x'\n    - User|endswith: 'alice'\n"
	    "  condition: s\n"), 1);
	assert_int_equal(run("  a:\n    User: 'x'\n  b:\n    User: 'pc1\\alice'\n"
	    "  condition:\n    - a\n    - b\n"), 1);
	/* keywords search every value */
	assert_int_equal(run("  k:\n    - 'EncodedCommand'\n  condition: k\n"), 1);
	assert_int_equal(run("  k:\n    - 'mimikatz'\n  condition: k\n"), 0);
	/* precedence: and binds tighter than or */
	assert_int_equal(run("  a:\n    User: 'x'\n  b:\n    User: 'y'\n"
	    "  c:\n    Image|contains: 'shell'\n  condition: a and b or c\n"), 1);
	assert_int_equal(run("  a:\n    User: 'x'\n  b:\n    User: 'y'\n"
	    "  c:\n    Image|contains: 'shell'\n  condition: a and (b or c)\n"), 0);
}

static void
test_rejects(void **state)
{
	(void)state;
	event_proc(cmd_ev);
	assert_int_equal(run("  s:\n    Image|bogus: 'x'\n  condition: s\n"), -1);
	assert_int_equal(run("  s:\n    Image: 'x'\n  condition: s | count() > 5\n"),
	    -1);
	assert_int_equal(run("  s:\n    Image: 'x'\n  condition: t\n"), -1);
	assert_int_equal(run("  s:\n    Image: 'x'\n  condition: (s\n"), -1);
	assert_int_equal(run("  s:\n    Image|re: '(unclosed'\n  condition: s\n"),
	    -1);
	assert_int_equal(run("  s:\n    Image|expand: '%Admins%'\n  condition: s\n"),
	    -1);
	assert_int_equal(run("  s:\n    Image|cidr: 'not-an-ip'\n  condition: s\n"),
	    -1);
}

/* A rule set from YAML text, loaded and compiled (both must succeed). */
static struct sigma_ruleset *
compiled(const char *rules, const char *name)
{
	struct csirt_err err = { 0 };
	struct sigma_ruleset *rs = sigma_ruleset_new(NULL, 0, &err);

	assert_non_null(rs);
	assert_int_equal(sigma_ruleset_add_yaml(rs, rules, strlen(rules), name), CSIRT_OK);
	assert_int_equal(sigma_ruleset_compile(rs), CSIRT_OK);
	return rs;
}

static void
test_dispatch_and_filter(void **state)
{
	static const char rules[] =
	    "title: sec\nid: sec1\nlogsource: {product: windows, service: security}\n"
	    "detection:\n  s:\n    EventID: 4625\n  condition: s\n"
	    "---\n"
	    "title: proc\nid: proc1\n"
	    "logsource: {product: windows, category: process_creation}\n"
	    "detection:\n  s:\n    Image|endswith: '\\cmd.exe'\n  condition: s\n"
	    "---\n"
	    "title: f\nlogsource: {product: windows, category: process_creation}\n"
	    "filter:\n  rules: [proc1]\n  s:\n    User|startswith: 'adm_'\n"
	    "  condition: s\n"
	    "---\n"
	    "title: mac\nid: m1\nlogsource: {product: macos, category: x}\n"
	    "detection:\n  s:\n    a: b\n  condition: s\n";
	static const char *const proc_ev[] = { "Image", "C:\\x\\cmd.exe",
		"User", "bob", NULL };
	static const char *const proc_adm[] = { "Image", "C:\\x\\cmd.exe",
		"User", "adm_bob", NULL };
	struct sigma_ruleset *rs = compiled(rules, "r.yml");
	struct sigma_matcher *m;

	(void)state;
	assert_int_equal(sigma_ruleset_count(rs), 2);
	assert_int_equal(sigma_ruleset_reject_count(rs), 1);
	assert_non_null(strstr(sigma_ruleset_reject(rs, 0)->reason, "macos"));
	m = sigma_matcher_new(rs);
	event_proc(proc_ev);
	assert_int_equal(sigma_match(m, &ev, NULL, NULL), 1);
	event_proc(proc_adm);	/* suppressed by the filter */
	assert_int_equal(sigma_match(m, &ev, NULL, NULL), 0);
	/* a Security 4688 event is process creation too, with NewProcessName
	 * read as Image (alias from the mapping) */
	hunt_event_reset(&ev);
	hunt_event_add(&ev, "Channel", 7, "Security", 8);
	hunt_event_add(&ev, "EventID", 7, "4688", 4);
	hunt_event_add(&ev, "NewProcessName", 14, "C:\\y\\CMD.EXE", 12);
	hunt_event_finish(&ev);
	assert_int_equal(sigma_match(m, &ev, NULL, NULL), 1);
	/* EventID 4625 on the wrong channel does not reach the security rule */
	hunt_event_reset(&ev);
	hunt_event_add(&ev, "Channel", 7, "System", 6);
	hunt_event_add(&ev, "EventID", 7, "4625", 4);
	hunt_event_finish(&ev);
	assert_int_equal(sigma_match(m, &ev, NULL, NULL), 0);
	hunt_event_reset(&ev);
	hunt_event_add(&ev, "Channel", 7, "security", 8);
	hunt_event_add(&ev, "EventID", 7, "4625", 4);
	hunt_event_finish(&ev);
	assert_int_equal(sigma_match(m, &ev, NULL, NULL), 1);
	sigma_matcher_free(m);
	sigma_ruleset_free(rs);
}

static char id_hits[32];

static void
on_id_hit(const struct hunt_event *e, const struct sigma_hit *hit, void *ctx)
{
	size_t n = strlen(id_hits);

	(void)e;
	(void)ctx;
	if (n + 1 < sizeof(id_hits)) {
		id_hits[n] = hit->rule->id[0];
		id_hits[n + 1] = '\0';
	}
}

/* The first letters of the ids of the rules that hit a Security event of
 * the given fields (name, value pairs), in rule order. */
static const char *
sec_hits(struct sigma_matcher *m, const char *const *kv)
{
	hunt_event_reset(&ev);
	hunt_event_add(&ev, "Channel", 7, "Security", 8);
	for (size_t i = 0; kv[i] != NULL; i += 2)
		hunt_event_add(&ev, kv[i], strlen(kv[i]), kv[i + 1],
		    strlen(kv[i + 1]));
	hunt_event_finish(&ev);
	id_hits[0] = '\0';
	sigma_match(m, &ev, on_id_hit, NULL);
	return id_hits;
}

/*
 * Rules of a whole channel that name their event IDs in the detection are
 * skipped for events of another ID (sigma_eid.c); the hits must be those
 * the detection gives: a NOT or a |contains gives no gate, two EventID
 * values or a non-canonical one are evaluated, no EventID at all matches
 * no rule that needs one.
 */
static void
test_eid_gate(void **state)
{
	static const char rules[] =
	    "title: a\nid: a\nlogsource: {product: windows, service: security}\n"
	    "detection:\n  s:\n    EventID: [4730, 634]\n  condition: s\n"
	    "---\n"
	    "title: b\nid: b\nlogsource: {product: windows, service: security}\n"
	    "detection:\n  a:\n    EventID: 4624\n  b:\n    LogonType: 3\n"
	    "  condition: a and b\n"
	    "---\n"
	    "title: c\nid: c\nlogsource: {product: windows, service: security}\n"
	    "detection:\n  a:\n    EventID: 4624\n  b:\n    EventID: 4625\n"
	    "  condition: a or not b\n"
	    "---\n"
	    "title: d\nid: d\nlogsource: {product: windows, service: security}\n"
	    "detection:\n  s:\n    EventID|contains: '47'\n  condition: s\n"
	    "---\n"
	    "title: e\nid: e\nlogsource: {product: windows, service: security}\n"
	    "detection:\n  s:\n    EventID: '04730'\n  condition: s\n"
	    "---\n"
	    "title: f\nid: f\nlogsource: {product: windows, service: security}\n"
	    "detection:\n  x:\n    EventID: 1\n    User: bob\n"
	    "  y:\n    EventID: 2\n  condition: 1 of them\n";
	static const char *const e4730[] = { "EventID", "4730", NULL };
	static const char *const e4624[] = { "EventID", "4624", "LogonType", "3",
		NULL };
	static const char *const two[] = { "EventID", "1", "EventID", "4730",
		NULL };
	static const char *const zero[] = { "EventID", "04730", NULL };
	static const char *const none[] = { "User", "bob", NULL };
	static const char *const e2[] = { "EventID", "2", NULL };
	static const char *const e1[] = { "EventID", "1", "User", "bob", NULL };
	struct sigma_ruleset *rs = compiled(rules, "eid.yml");
	struct sigma_matcher *m = sigma_matcher_new(rs);

	(void)state;
	assert_non_null(m);
	assert_int_equal(sigma_ruleset_count(rs), 6);
	assert_string_equal(sec_hits(m, e4730), "acd");
	assert_string_equal(sec_hits(m, e4624), "bc");
	assert_string_equal(sec_hits(m, two), "acd");
	assert_string_equal(sec_hits(m, zero), "cde");
	assert_string_equal(sec_hits(m, none), "c");
	assert_string_equal(sec_hits(m, e2), "cf");
	assert_string_equal(sec_hits(m, e1), "cf");
	sigma_matcher_free(m);
	sigma_ruleset_free(rs);
}

/* The literal every match of a regex holds (sigma_relit.c), or none. */
static void
test_re_literal(void **state)
{
	static const struct {
		const char *re;
		bool caseless;
		const char *lit;	/* NULL: none */
	} cases[] = {
		{ "cmd.{0,5}(?:/c|/r).+clip(?:\\.exe)?.{0,4}&&.+clipboard]::",
		    false, "clipboard]::" },
		{ "\\$PSHome\\[\\s*\\d{1,3}\\s*\\]\\s*\\+\\s*\\$PSHome\\[", false,
		    "$PSHome[" },
		{ "abcd?", false, "abc" },	/* d is optional */
		{ "abcd*xy", false, "abc" },
		{ "abcd{0,3}", false, "abc" },
		{ "abcd{2}", false, "abcd" },
		{ "ab+cdef", false, "cdef" },
		{ "ab|cdef", false, NULL },	/* alternation at the top */
		{ "(ab|cd)efg", false, "efg" },
		{ "[a-z]+\\.exe", false, ".exe" },
		{ "\\x41\\x42\\x43zz", false, "zz" },
		{ "\\p{Lu}{2}abc", false, "abc" },
		{ "(?x) a b c d", false, NULL },	/* extended mode */
		{ "\\Qabc\\E", false, NULL },
		{ "mimikatz", true, "mimi" },	/* k folds with U+212A */
		{ "(?i)sekurlsa", false, "url" },
		{ "taskkill", false, "taskkill" },
		{ "caf\xc3\xa9 au lait", false, " au lait" },
		{ "ab)cd", false, NULL },
		{ "a{,3}bcd", false, "bcd" },
		{ "(a)xy\\g1zzzz", false, "zzzz" },	/* \g1: a group, not "1" */
		{ "(a)xy\\g-1zzzz", false, "zzzz" },
		{ "\\pLabcd", false, "abcd" },	/* \pL: a letter, not "L" */
		{ "", false, NULL },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		size_t len;
		char *lit = sigma_re_literal(cases[i].re, strlen(cases[i].re),
		    cases[i].caseless, &len);

		if (cases[i].lit == NULL) {
			if (lit != NULL)
				fail_msg("%s: got '%s', want none", cases[i].re, lit);
		} else {
			if (lit == NULL || strcmp(lit, cases[i].lit) != 0)
				fail_msg("%s: got '%s', want '%s'", cases[i].re,
				    lit ? lit : "(none)", cases[i].lit);
			assert_int_equal(len, strlen(cases[i].lit));
		}
		free(lit);
	}
}

struct corr_hits {
	int base, count, values, ordered;
};

static void
on_corr_hit(const struct hunt_event *e, const struct sigma_hit *hit, void *ctx)
{
	struct corr_hits *h = ctx;

	(void)e;
	if (strcmp(hit->rule->id, "c-count") == 0)
		h->count++;
	else if (strcmp(hit->rule->id, "c-values") == 0)
		h->values++;
	else if (strcmp(hit->rule->id, "c-ordered") == 0)
		h->ordered++;
	else
		h->base++;
}

static void
sec_event(const char *eid, const char *time, const char *user, const char *ws)
{
	hunt_event_reset(&ev);
	hunt_event_add(&ev, "Channel", 7, "Security", 8);
	hunt_event_add(&ev, "EventID", 7, eid, strlen(eid));
	hunt_event_add(&ev, "TimeCreated_SystemTime", 22, time, strlen(time));
	hunt_event_add(&ev, "TargetUserName", 14, user, strlen(user));
	hunt_event_add(&ev, "WorkstationName", 15, ws, strlen(ws));
	hunt_event_finish(&ev);
}

/* One Security event through the matcher, hits counted in h. */
static void
sec_match(struct sigma_matcher *m, const char *eid, const char *time,
    const char *user, const char *ws, struct corr_hits *h)
{
	sec_event(eid, time, user, ws);
	sigma_match(m, &ev, on_corr_hit, h);
}

static void
test_correlations(void **state)
{
	static const char rules[] =
	    "title: failed\nid: fail1\nname: failed_logon\n"
	    "logsource: {product: windows, service: security}\n"
	    "detection:\n  s:\n    EventID: 4625\n  condition: s\n---\n"
	    "title: ok\nid: ok1\n"
	    "logsource: {product: windows, service: security}\n"
	    "detection:\n  s:\n    EventID: 4624\n  condition: s\n---\n"
	    "title: brute force\nid: c-count\nlevel: high\n"
	    "correlation:\n  type: event_count\n  rules: [failed_logon]\n"
	    "  group-by: [TargetUserName]\n  timespan: 10m\n"
	    "  condition: {gte: 3}\n---\n"
	    "title: spray\nid: c-values\n"
	    "correlation:\n  type: value_count\n  rules: [fail1]\n"
	    "  group-by: [TargetUserName]\n  timespan: 1h\n"
	    "  condition: {field: WorkstationName, gt: 1}\n---\n"
	    "title: then success\nid: c-ordered\n"
	    "correlation:\n  type: temporal_ordered\n  rules: [fail1, ok1]\n"
	    "  group-by: [TargetUserName]\n  timespan: 5m\n---\n"
	    "title: dangling\nid: c-dangling\n"
	    "correlation:\n  type: event_count\n  rules: [nope]\n"
	    "  timespan: 5m\n  condition: {gte: 3}\n";
	struct sigma_ruleset *rs = compiled(rules, "c.yml");
	struct sigma_matcher *m;
	struct corr_hits h = { 0 };

	(void)state;
	assert_int_equal(sigma_ruleset_count(rs), 2);
	/* a dangling reference: rejected with its reason */
	assert_int_equal(sigma_ruleset_reject_count(rs), 1);
	assert_non_null(strstr(sigma_ruleset_reject(rs, 0)->reason,
	    "not a loaded detection rule"));
	m = sigma_matcher_new(rs);
	assert_non_null(m);
	/* bob fails 3 times in 10 minutes from 2 workstations, then succeeds */
	sec_match(m, "4625", "2026-01-01T10:00:00Z", "bob", "ws1", &h);
	sec_match(m, "4625", "2026-01-01T10:04:00Z", "bob", "ws1", &h);
	assert_int_equal(h.count, 0);
	assert_int_equal(h.values, 0);
	sec_match(m, "4625", "2026-01-01T10:08:00Z", "bob", "ws2", &h);
	assert_int_equal(h.count, 1);
	assert_int_equal(h.values, 1);
	sec_match(m, "4624", "2026-01-01T10:09:00Z", "bob", "ws2", &h);
	assert_int_equal(h.ordered, 1);
	/* alice: 3 failures but spread over 30 minutes: no burst */
	sec_match(m, "4625", "2026-01-01T10:00:00Z", "alice", "ws1", &h);
	sec_match(m, "4625", "2026-01-01T10:15:00Z", "alice", "ws1", &h);
	sec_match(m, "4625", "2026-01-01T10:30:00Z", "alice", "ws1", &h);
	assert_int_equal(h.count, 1);
	/* success before failure: not the ordered sequence */
	sec_match(m, "4624", "2026-01-01T11:00:00Z", "carol", "ws1", &h);
	sec_match(m, "4625", "2026-01-01T11:01:00Z", "carol", "ws1", &h);
	assert_int_equal(h.ordered, 1);
	assert_int_equal(h.base, 9);
	sigma_matcher_free(m);
	sigma_ruleset_free(rs);
}

/*
 * Chained correlations, as in the specification's example: repeated failed
 * logons of a user (a correlation), then a successful logon of that user
 * (a rule), in that order within 10 minutes. A chain after a window-end
 * correlation and a cycle are refused with their reasons.
 */
static void
test_chained_correlations(void **state)
{
	static const char rules[] =
	    "title: failed\nid: fail1\nname: failed_login\n"
	    "logsource: {product: windows, service: security}\n"
	    "detection:\n  s:\n    EventID: 4625\n  condition: s\n---\n"
	    "title: ok\nid: ok1\nname: successful_login\n"
	    "logsource: {product: windows, service: security}\n"
	    "detection:\n  s:\n    EventID: 4624\n  condition: s\n---\n"
	    "title: Multiple failed logons\nid: c-count\nname: multiple_failed_login\n"
	    "correlation:\n  type: event_count\n  rules: [failed_login]\n"
	    "  group-by: [TargetUserName]\n  timespan: 10m\n"
	    "  condition: {gte: 3}\n---\n"
	    "title: Failed logons then success\nid: c-ordered\n"
	    "correlation:\n  type: temporal_ordered\n"
	    "  rules: [multiple_failed_login, successful_login]\n"
	    "  group-by: [TargetUserName]\n  timespan: 10m\n---\n"
	    "title: few\nid: c-few\nname: few_failed\n"
	    "correlation:\n  type: event_count\n  rules: [fail1]\n"
	    "  timespan: 5m\n  condition: {lt: 3}\n---\n"
	    "title: after few\nid: c-after-few\n"
	    "correlation:\n  type: event_count\n  rules: [few_failed]\n"
	    "  timespan: 5m\n  condition: {gte: 1}\n---\n"
	    "title: loop a\nid: c-loop-a\nname: loop_a\n"
	    "correlation:\n  type: event_count\n  rules: [loop_b]\n"
	    "  timespan: 5m\n  condition: {gte: 1}\n---\n"
	    "title: loop b\nid: c-loop-b\nname: loop_b\n"
	    "correlation:\n  type: event_count\n  rules: [loop_a]\n"
	    "  timespan: 5m\n  condition: {gte: 1}\n";
	struct sigma_ruleset *rs = compiled(rules, "ch.yml");
	struct sigma_matcher *m;
	struct corr_hits h = { 0 };
	bool window_end_refused = false, cycle_refused = false;

	(void)state;
	assert_int_equal(sigma_ruleset_correlation_count(rs), 3);
	assert_int_equal(sigma_ruleset_reject_count(rs), 3);
	for (size_t i = 0; i < sigma_ruleset_reject_count(rs); i++) {
		const char *why = sigma_ruleset_reject(rs, i)->reason;

		window_end_refused |= strstr(why, "end of its window") != NULL;
		cycle_refused |= strstr(why, "cycle") != NULL;
	}
	assert_true(window_end_refused);
	assert_true(cycle_refused);
	m = sigma_matcher_new(rs);
	assert_non_null(m);
	/* bob: a success alone, then 3 failures, then a success: one chain */
	sec_match(m, "4624", "2026-01-01T09:58:00Z", "bob", "ws1", &h);
	sec_match(m, "4625", "2026-01-01T10:00:00Z", "bob", "ws1", &h);
	sec_match(m, "4625", "2026-01-01T10:01:00Z", "bob", "ws1", &h);
	assert_int_equal(h.ordered, 0);
	sec_match(m, "4625", "2026-01-01T10:02:00Z", "bob", "ws1", &h);
	assert_int_equal(h.count, 1);
	assert_int_equal(h.ordered, 0);	/* the success came before */
	sec_match(m, "4624", "2026-01-01T10:05:00Z", "bob", "ws1", &h);
	assert_int_equal(h.ordered, 1);
	/* alice succeeds after bob's failures: another user, no chain */
	sec_match(m, "4624", "2026-01-01T10:06:00Z", "alice", "ws1", &h);
	assert_int_equal(h.ordered, 1);
	/* carol: 3 failures, success 20 minutes later: out of the timespan */
	sec_match(m, "4625", "2026-01-01T11:00:00Z", "carol", "ws1", &h);
	sec_match(m, "4625", "2026-01-01T11:01:00Z", "carol", "ws1", &h);
	sec_match(m, "4625", "2026-01-01T11:02:00Z", "carol", "ws1", &h);
	assert_int_equal(h.count, 2);
	sec_match(m, "4624", "2026-01-01T11:22:00Z", "carol", "ws1", &h);
	assert_int_equal(h.ordered, 1);
	sigma_matcher_free(m);
	sigma_ruleset_free(rs);
}

struct window_hits {
	int by[16];
	char last_flush[256];
};

static const char *const window_ids[] = { "c-few", "c-range", "c-neq",
	"c-sum", "c-avg", "c-alias", NULL };

static void
on_window_hit(const struct hunt_event *e, const struct sigma_hit *hit,
    void *ctx)
{
	struct window_hits *h = ctx;
	size_t i;

	for (i = 0; window_ids[i] != NULL; i++)
		if (strcmp(hit->rule->id, window_ids[i]) == 0)
			break;
	h->by[i]++;
	if (window_ids[i] != NULL && hit->nfields > 0)
		snprintf(h->last_flush, sizeof(h->last_flush), "%s %s %s=%s %s",
		    hit->rule->id, e->time, hit->fields[hit->nfields - 1].name,
		    hit->fields[hit->nfields - 1].value, e->host);
}

static void
logon_event(const char *eid, const char *time, const char *user,
    const char *ws, const char *bytes, const char *subject)
{
	hunt_event_reset(&ev);
	hunt_event_add(&ev, "Channel", 7, "Security", 8);
	hunt_event_add(&ev, "EventID", 7, eid, strlen(eid));
	hunt_event_add(&ev, "Computer", 8, "dc1", 3);
	hunt_event_add(&ev, "TimeCreated_SystemTime", 22, time, strlen(time));
	hunt_event_add(&ev, "TargetUserName", 14, user, strlen(user));
	hunt_event_add(&ev, "WorkstationName", 15, ws, strlen(ws));
	hunt_event_add(&ev, "Bytes", 5, bytes, strlen(bytes));
	hunt_event_add(&ev, "SubjectUserName", 15, subject, strlen(subject));
	hunt_event_finish(&ev);
}

/* Conditions decided at the end of a window (lt, ranges, neq), value_sum,
 * value_avg, and field-name aliases. */
static void
test_correlation_windows(void **state)
{
	static const char rules[] =
	    "title: failed\nid: fail1\nname: failed_logon\n"
	    "logsource: {product: windows, service: security}\n"
	    "detection:\n  s:\n    EventID: 4625\n  condition: s\n---\n"
	    "title: ok\nid: ok1\nname: ok_logon\n"
	    "logsource: {product: windows, service: security}\n"
	    "detection:\n  s:\n    EventID: 4624\n  condition: s\n---\n"
	    "title: few\nid: c-few\ncorrelation:\n  type: event_count\n"
	    "  rules: [fail1]\n  group-by: [TargetUserName]\n  timespan: 10m\n"
	    "  condition: {lt: 2}\n---\n"
	    "title: range\nid: c-range\ncorrelation:\n  type: event_count\n"
	    "  rules: [fail1]\n  group-by: [TargetUserName]\n  timespan: 10m\n"
	    "  condition: {gt: 1, lte: 2}\n---\n"
	    "title: neq\nid: c-neq\ncorrelation:\n  type: value_count\n"
	    "  rules: [fail1]\n  group-by: [TargetUserName]\n  timespan: 10m\n"
	    "  condition: {field: WorkstationName, neq: 1}\n---\n"
	    "title: sum\nid: c-sum\ncorrelation:\n  type: value_sum\n"
	    "  rules: [fail1]\n  group-by: [TargetUserName]\n  timespan: 10m\n"
	    "  condition: {field: Bytes, gt: 1000}\n---\n"
	    "title: avg\nid: c-avg\ncorrelation:\n  type: value_avg\n"
	    "  rules: [fail1]\n  group-by: [TargetUserName]\n  timespan: 10m\n"
	    "  condition: {field: Bytes, gte: 500}\n---\n"
	    "title: alias\nid: c-alias\ncorrelation:\n  type: temporal_ordered\n"
	    "  rules: [failed_logon, ok_logon]\n  group-by: [who]\n"
	    "  timespan: 5m\n  aliases:\n    who:\n"
	    "      failed_logon: TargetUserName\n      ok_logon: SubjectUserName\n"
	    "---\n"
	    "title: bad alias\nid: c-badalias\ncorrelation:\n  type: temporal\n"
	    "  rules: [failed_logon, ok_logon]\n  group-by: [who]\n"
	    "  timespan: 5m\n  aliases:\n    who:\n"
	    "      failed_logon: TargetUserName\n---\n"
	    "title: percentile\nid: c-pct\ncorrelation:\n"
	    "  type: value_percentile\n  rules: [fail1]\n  group-by: [x]\n"
	    "  timespan: 1h\n  condition: {field: Bytes, lte: 1}\n";
	struct sigma_ruleset *rs = compiled(rules, "w.yml");
	struct sigma_matcher *m;
	struct window_hits h = { 0 };

	(void)state;
	assert_int_equal(sigma_ruleset_reject_count(rs), 2);
	assert_non_null(strstr(sigma_ruleset_reject(rs, 0)->reason,
	    "value_percentile"));
	assert_non_null(strstr(sigma_ruleset_reject(rs, 1)->reason, "alias"));
	m = sigma_matcher_new(rs);
	assert_non_null(m);
	logon_event("4625", "2026-01-01T10:00:00Z", "bob", "ws1", "600", "-");
	sigma_match(m, &ev, on_window_hit, &h);
	logon_event("4625", "2026-01-01T10:01:00Z", "bob", "ws2", "600", "-");
	sigma_match(m, &ev, on_window_hit, &h);
	logon_event("4625", "2026-01-01T10:02:00Z", "alice", "ws1", "100", "-");
	sigma_match(m, &ev, on_window_hit, &h);
	/* bob's success, logged under SubjectUserName: the alias joins them */
	logon_event("4624", "2026-01-01T10:03:00Z", "x", "ws1", "0", "bob");
	sigma_match(m, &ev, on_window_hit, &h);
	assert_int_equal(h.by[5], 1);
	/* nothing decided yet: the windows are open */
	assert_int_equal(h.by[0] + h.by[1] + h.by[2] + h.by[3] + h.by[4], 0);
	/* bob again 30 minutes later closes his window: 2 failures from 2
	 * workstations, 1200 bytes, 600 on average */
	logon_event("4625", "2026-01-01T10:30:00Z", "bob", "ws1", "10", "-");
	sigma_match(m, &ev, on_window_hit, &h);
	assert_int_equal(h.by[0], 0);
	assert_int_equal(h.by[1], 1);
	assert_int_equal(h.by[2], 1);
	assert_int_equal(h.by[3], 1);
	assert_int_equal(h.by[4], 1);
	assert_string_equal(h.last_flush,
	    "c-avg 2026-01-01T10:01:00Z value_avg=600 dc1");
	/* the end of the input closes alice's and bob's second window: one
	 * failure each, fewer than 2 */
	assert_int_equal(sigma_matcher_flush(m, on_window_hit, &h), 2);
	assert_int_equal(h.by[0], 2);
	assert_string_equal(h.last_flush,
	    "c-few 2026-01-01T10:30:00Z event_count=1 dc1");
	assert_int_equal(h.by[1] + h.by[2] + h.by[3] + h.by[4], 4);
	/* flushing again reports nothing more */
	assert_int_equal(sigma_matcher_flush(m, on_window_hit, &h), 0);
	sigma_matcher_free(m);
	sigma_ruleset_free(rs);
}

static int
setup(void **state)
{
	(void)state;
	hunt_event_init(&ev);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	hunt_event_release(&ev);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_modifiers),
		cmocka_unit_test(test_dateparts),
		cmocka_unit_test(test_placeholders),
		cmocka_unit_test(test_conditions),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_dispatch_and_filter),
		cmocka_unit_test(test_eid_gate),
		cmocka_unit_test(test_re_literal),
		cmocka_unit_test(test_correlations),
		cmocka_unit_test(test_chained_correlations),
		cmocka_unit_test(test_correlation_windows),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
