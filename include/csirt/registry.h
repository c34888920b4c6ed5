/*
 * registry.h - the register of organisations (a tree: province ->
 * departments and districts -> units), information systems, users and
 * the response team. Create, read, update and list, each change audited,
 * each read confined to the actor's scope.
 */
#ifndef CSIRT_REGISTRY_H
#define CSIRT_REGISTRY_H

#include <jansson.h>
#include <stdint.h>

#include "csirt/actor.h"
#include "csirt/err.h"
#include "csirt/schema.h"
#include "csirt/store.h"

enum csirt_rc registry_create(struct store *st, const struct actor *who,
    const struct entity_def *def, json_t *in, int64_t *id, struct csirt_err *err);
enum csirt_rc registry_update(struct store *st, const struct actor *who,
    const struct entity_def *def, int64_t id, json_t *in, struct csirt_err *err);
enum csirt_rc registry_get(struct store *st, const struct actor *who,
    const struct entity_def *def, int64_t id, json_t **out);
enum csirt_rc registry_list(struct store *st, const struct actor *who,
    const struct entity_def *def, const char *q, int64_t page, int64_t per_page,
    json_t **out);

/* Proactive activities of a system (scan, hunt, drill...): the system must
 * be in the actor's scope. */
enum csirt_rc registry_activity_add(struct store *st, const struct actor *who, int64_t system_id,
    json_t *in, int64_t *id, struct csirt_err *err);
enum csirt_rc registry_activity_list(struct store *st, const struct actor *who, int64_t system_id,
    json_t **out);

/* The team record (one per installation); update replaces given fields. */
enum csirt_rc registry_team_get(struct store *st, json_t **out);
enum csirt_rc registry_team_update(struct store *st, const struct actor *who, json_t *in,
    struct csirt_err *err);

#endif
