/*
 * report_data.h - the inputs of the report engine (src/report, which knows
 * nothing of the store) built from the store: one incident in the shape
 * docs/report.md describes, the Form 05 aggregate of a half-year or year,
 * and the quarterly or annual aggregate. Scope rules of the actor apply.
 */
#ifndef CSIRT_REPORT_DATA_H
#define CSIRT_REPORT_DATA_H

#include <jansson.h>
#include <stdint.h>

#include "csirt/actor.h"
#include "csirt/err.h"
#include "csirt/store.h"

/* *out: a new reference. */
enum csirt_rc report_data_incident(struct store *st, const struct actor *who, int64_t id,
    json_t **out);
/* period: "2026H1" (January-June) or "2026" (the year). */
enum csirt_rc report_data_form05(struct store *st, const struct actor *who, const char *period,
    json_t **out, struct csirt_err *err);
/* quarter 1-4, or 0 for the annual report. */
enum csirt_rc report_data_periodic(struct store *st, const struct actor *who, int year,
    int quarter, json_t **out, struct csirt_err *err);

/* Forms 01 and 02 (network membership) for organisation org_id. */
enum csirt_rc report_data_member(struct store *st, const struct actor *who, int64_t org_id,
    json_t **out, struct csirt_err *err);
/* Mẫu 08 of Decree 331/2026 for a year (2026 on). */
enum csirt_rc report_data_mau08(struct store *st, const struct actor *who, int year, json_t **out,
    struct csirt_err *err);

#endif
