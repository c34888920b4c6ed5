#include "csirt/common.h"
#include "csirt/actor.h"

#include <string.h>

static const struct {
	enum role role;
	const char *code;
} role_codes[] = {
	{ ROLE_ADMIN, "admin" },
	{ ROLE_COORDINATOR, "coordinator" },
	{ ROLE_RESPONDER, "responder" },
	{ ROLE_UNIT_OFFICER, "unit_officer" },
	{ ROLE_AUDITOR, "auditor" },
};

const char *
role_code(enum role r)
{
	for (size_t i = 0; i < ARRAY_SIZE(role_codes); i++)
		if (role_codes[i].role == r)
			return role_codes[i].code;
	return "none";
}

enum role
role_parse(const char *code)
{
	for (size_t i = 0; i < ARRAY_SIZE(role_codes); i++)
		if (code && strcmp(role_codes[i].code, code) == 0)
			return role_codes[i].role;
	return ROLE_NONE;
}
