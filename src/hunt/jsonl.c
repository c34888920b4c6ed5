/*
 * jsonl.c - JSON events: JSON lines, or JSON documents one after another
 * (pretty-printed EVTX renderings such as SigmaHQ's regression .json files).
 *
 * Each object is flattened into Sigma's names:
 *   - top-level keys as they are (OTRF/Mordor flat Windows JSON: EventID,
 *     Channel, Image...);
 *   - nested keys as a dotted path (Winlogbeat/ECS: winlog.channel,
 *     process.command_line), and in addition by their own name (spaces
 *     removed) when they sit anywhere under an event-data container
 *     (EventData, event_data, System, UserData), so winlog.event_data.Image
 *     is also Image;
 *   - "#attributes" of an element X become X_Name as in the EVTX reader
 *     (Provider_Name, TimeCreated_SystemTime);
 *   - arrays give one field per scalar item; null gives no field.
 * Parsing is jansson's (json_loadb without the end-of-input check, so one
 * call per document); docs/BENCHMARKS-hunt.md has what that costs.
 */
#include "csirt/common.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "csirt/hunt.h"

#define JSON_MAX_DEPTH 16
#define JSON_NAME_MAX 256

static bool
is_container(const char *key)
{
	static const char *const names[] = { "EventData", "event_data",
		"System", "UserData", "user_data", "EventXML", "Event" };

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strcmp(key, names[i]) == 0)
			return true;
	return false;
}

static void
emit_scalar(struct hunt_event *ev, const char *name, size_t name_len,
    json_t *v)
{
	char num[64];
	const char *s;
	size_t len;

	switch (json_typeof(v)) {
	case JSON_STRING:
		s = json_string_value(v);
		len = json_string_length(v);
		break;
	case JSON_INTEGER:
		len = (size_t)snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
		    json_integer_value(v));
		s = num;
		break;
	case JSON_REAL:
		len = (size_t)snprintf(num, sizeof(num), "%.17g", json_real_value(v));
		s = num;
		break;
	case JSON_TRUE:
		s = "true";
		len = 4;
		break;
	case JSON_FALSE:
		s = "false";
		len = 5;
		break;
	default:
		return;		/* null: the field is absent */
	}
	(void)hunt_event_add(ev, name, name_len, s, len);
}

/*
 * path: dotted name so far; key: the last component; leaf_alias: also emit
 * the value under the bare key. "#attributes" are left to walk_attrs().
 */
static void
flatten(struct hunt_event *ev, json_t *v, const char *path, size_t path_len,
    const char *key, bool leaf_alias, int depth)
{
	char name[JSON_NAME_MAX];

	if (depth > JSON_MAX_DEPTH)
		return;
	if (json_is_object(v)) {
		const char *k;
		json_t *sub;

		json_object_foreach(v, k, sub) {
			int n;
			/* under a container at any depth (UserData/X/Field) */
			bool alias = leaf_alias || (key != NULL && is_container(key));

			if (strcmp(k, "#attributes") == 0)
				continue;
			if (strcmp(k, "#text") == 0 && key != NULL) {
				/* <EventID Qualifiers="">4624</EventID> */
				flatten(ev, sub, path, path_len, key, true,
				    depth + 1);
				continue;
			}
			n = path_len ? snprintf(name, sizeof(name), "%.*s.%s",
			    (int)path_len, path, k) :
			    snprintf(name, sizeof(name), "%s", k);
			if (n <= 0 || (size_t)n >= sizeof(name))
				continue;
			flatten(ev, sub, name, (size_t)n, k, alias, depth + 1);
		}
		return;
	}
	if (json_is_array(v)) {
		size_t i;
		json_t *item;

		json_array_foreach(v, i, item) {
			if (i >= HUNT_EVENT_MAX_FIELDS)
				break;
			flatten(ev, item, path, path_len, key, leaf_alias,
			    depth + 1);
		}
		return;
	}
	emit_scalar(ev, path, path_len, v);
	if (leaf_alias && key != NULL && strcmp(key, path) != 0) {
		size_t n = 0;

		/* Sigma names have no spaces: "Threat Name" is ThreatName,
		 * as in the EVTX reader */
		for (const char *k = key; *k && n < sizeof(name) - 1; k++)
			if (*k != ' ')
				name[n++] = *k;
		emit_scalar(ev, name, n, v);
	}
}

/* "#attributes": {"Name": ...} of element X -> X_Name */
static void
flatten_attrs(struct hunt_event *ev, json_t *obj, const char *elem, int depth)
{
	const char *k;
	json_t *sub;
	char name[JSON_NAME_MAX];

	if (depth > JSON_MAX_DEPTH)
		return;
	json_object_foreach(obj, k, sub) {
		int n;

		if (strcmp(k, "xmlns") == 0)
			continue;
		n = snprintf(name, sizeof(name), "%s_%s", elem, k);
		if (n > 0 && (size_t)n < sizeof(name))
			emit_scalar(ev, name, (size_t)n, sub);
	}
}

/* Walks once more for the "#attributes" objects (kept out of flatten() so
 * that its common path stays simple). */
static void
walk_attrs(struct hunt_event *ev, json_t *v, const char *key, int depth)
{
	const char *k;
	json_t *sub;

	if (depth > JSON_MAX_DEPTH || !json_is_object(v))
		return;
	json_object_foreach(v, k, sub) {
		if (strcmp(k, "#attributes") == 0 && json_is_object(sub))
			flatten_attrs(ev, sub, key ? key : "", depth + 1);
		else
			walk_attrs(ev, sub, k, depth + 1);
	}
}

enum csirt_rc
hunt_jsonl_read(const char *data, size_t len, const char *source,
    hunt_event_fn fn, void *ctx, struct hunt_read_stats *st)
{
	struct hunt_event ev;
	size_t pos = 0;
	uint64_t n = 0;

	st->bytes += len;
	hunt_event_init(&ev);
	/* Bounded: every iteration consumes at least one byte. */
	while (pos < len) {
		json_error_t jerr;
		json_t *root;
		size_t used;

		while (pos < len && (data[pos] == ' ' || data[pos] == '\n' ||
		    data[pos] == '\r' || data[pos] == '\t'))
			pos++;
		if (pos >= len)
			break;
		n++;
		root = json_loadb(data + pos, len - pos, JSON_DISABLE_EOF_CHECK |
		    JSON_ALLOW_NUL, &jerr);
		if (root == NULL) {
			const char *nl = memchr(data + pos, '\n', len - pos);

			st->bad_records++;
			if (st->first_error[0] == '\0')
				snprintf(st->first_error, sizeof(st->first_error),
				    "%.60s (record %" PRIu64 ") in %.80s", jerr.text,
				    n, source);
			pos = nl ? (size_t)(nl - data) + 1 : len;
			continue;
		}
		used = jerr.position > 0 ? (size_t)jerr.position : 1;
		pos += used;
		if (!json_is_object(root)) {
			st->bad_records++;
			json_decref(root);
			continue;
		}
		hunt_event_reset(&ev);
		ev.format = HUNT_FORMAT_JSONL;
		ev.source = source;
		ev.record = n;
		flatten(&ev, root, "", 0, NULL, false, 0);
		walk_attrs(&ev, root, NULL, 0);
		json_decref(root);
		hunt_event_finish(&ev);
		st->events++;
		if (!fn(&ev, ctx))
			break;
	}
	hunt_event_release(&ev);
	return CSIRT_OK;
}
