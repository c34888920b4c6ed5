/*
 * forms.h - the builders that turn JSON into a document (internal to
 * src/report). Each fills 'd' (initialised by the caller) from 'in'
 * (borrowed, already through input_check) and returns CSIRT_OK, or an
 * error with a user-safe message in 'err'.
 */
#ifndef CSIRT_REPORT_FORMS_H
#define CSIRT_REPORT_FORMS_H

#include <jansson.h>

#include "csirt/err.h"
#include "report/doc.h"

typedef enum csirt_rc (*form_builder)(struct doc *d, json_t *in,
    struct csirt_err *err);

/* forms_incident.c: Circular 20/2017 Forms 03 and 04; Decree 331 Art 31. */
enum csirt_rc form_build_form03(struct doc *d, json_t *in, struct csirt_err *err);
enum csirt_rc form_build_form04(struct doc *d, json_t *in, struct csirt_err *err);
enum csirt_rc form_build_report72h(struct doc *d, json_t *in, struct csirt_err *err);

/* forms_network.c: Circular 20/2017 Forms 01 and 02. */
enum csirt_rc form_build_form01(struct doc *d, json_t *in, struct csirt_err *err);
enum csirt_rc form_build_form02(struct doc *d, json_t *in, struct csirt_err *err);

/* forms_summary.c: Circular 20/2017 Form 05; Decree 331/2026 Mẫu 08. */
enum csirt_rc form_build_form05(struct doc *d, json_t *in, struct csirt_err *err);
enum csirt_rc form_build_mau08(struct doc *d, json_t *in, struct csirt_err *err);

/* periodic.c: the quarterly threat report and the annual report. */
enum csirt_rc form_build_quarterly(struct doc *d, json_t *in, struct csirt_err *err);
enum csirt_rc form_build_annual(struct doc *d, json_t *in, struct csirt_err *err);

/* Labels shared by the builders (Vietnamese wording of enumerations). */
const char *label_severity(const char *severity);
const char *label_handled(const char *handled);
const char *label_notified(const char *notified);
const char *label_step(const char *step);

#endif
