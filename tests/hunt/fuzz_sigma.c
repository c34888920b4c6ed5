/* fuzz_sigma.c - the Sigma loader and compiler on arbitrary YAML text, then
 * a match against a fixed event: never crash, reject with a reason. */
#include "csirt/common.h"

#include <string.h>

#include "csirt/hunt.h"
#include "csirt/sigma.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csirt_err err = { 0 };
	struct sigma_ruleset *rs = sigma_ruleset_new(NULL, 0, &err);
	struct sigma_matcher *m;
	struct hunt_event ev;

	static const char ph[] = "placeholders: {Admins: [adm_*, root], "
	    "Tools: '\\\\cmd.exe'}";

	if (rs == NULL)
		return 0;
	(void)sigma_ruleset_set_placeholders(rs, ph, sizeof(ph) - 1, "ph", &err);
	(void)sigma_ruleset_add_yaml(rs, (const char *)data, size, "fuzz.yml");
	for (size_t i = 0; i < sigma_ruleset_reject_count(rs); i++)
		if (sigma_ruleset_reject(rs, i)->reason[0] == '\0')
			__builtin_trap();	/* a reject must say why */
	if (sigma_ruleset_compile(rs) == CSIRT_OK &&
	    (m = sigma_matcher_new(rs)) != NULL) {
		hunt_event_init(&ev);
		ev.format = HUNT_FORMAT_EVTX;
		hunt_event_add(&ev, "Channel", 7,
		    "Microsoft-Windows-Sysmon/Operational", 36);
		hunt_event_add(&ev, "EventID", 7, "1", 1);
		hunt_event_add(&ev, "Image", 5, "C:\\a\\cmd.exe", 12);
		hunt_event_add(&ev, "CommandLine", 11, "cmd /c whoami -x", 16);
		hunt_event_add(&ev, "TimeCreated_SystemTime", 22,
		    "2026-01-01T10:00:00Z", 20);
		hunt_event_add(&ev, "Bytes", 5, "1500", 4);
		hunt_event_finish(&ev);
		/* twice, an hour apart, so that windows open and close */
		(void)sigma_match(m, &ev, NULL, NULL);
		ev.time = "2026-01-01T11:00:00Z";
		(void)sigma_match(m, &ev, NULL, NULL);
		(void)sigma_matcher_flush(m, NULL, NULL);
		hunt_event_release(&ev);
		sigma_matcher_free(m);
	}
	sigma_ruleset_free(rs);
	return 0;
}
