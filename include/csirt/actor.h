/*
 * actor.h - who is acting: a signed-in user (through a session or an API
 * token), the public (unauthenticated report page) or the system itself.
 * Roles follow DOMAIN.md §12.5.
 */
#ifndef CSIRT_ACTOR_H
#define CSIRT_ACTOR_H

#include <stdint.h>

enum role {
	ROLE_NONE = 0,
	ROLE_ADMIN = 1 << 0,		/* administrator of the installation */
	ROLE_COORDINATOR = 1 << 1,	/* Sở staff: province-wide triage and coordination */
	ROLE_RESPONDER = 1 << 2,	/* member of the Đội ứng cứu sự cố */
	ROLE_UNIT_OFFICER = 1 << 3,	/* an agency's IT officer: own organisation only */
	ROLE_AUDITOR = 1 << 4,		/* read only, everything */
};

#define ROLES_ALL (ROLE_ADMIN | ROLE_COORDINATOR | ROLE_RESPONDER | ROLE_UNIT_OFFICER | ROLE_AUDITOR)
#define ROLES_STAFF (ROLE_ADMIN | ROLE_COORDINATOR | ROLE_RESPONDER)

struct actor {
	int64_t user_id;	/* 0 for public and system */
	char username[65];
	enum role role;
	int64_t org_id;		/* the user's organisation (tenant root for unit officers) */
};

const char *role_code(enum role r);
enum role role_parse(const char *code);

/* The organisation subtree an actor is confined to, or 0 when it sees the
 * whole province. */
static inline int64_t
actor_scope(const struct actor *a)
{
	return a->role == ROLE_UNIT_OFFICER ? (a->org_id ? a->org_id : -1) : 0;
}

#endif
