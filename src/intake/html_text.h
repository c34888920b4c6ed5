/* html_text.h - internal to src/intake: readable text from an HTML body. */
#ifndef CSIRT_INTAKE_HTML_TEXT_H
#define CSIRT_INTAKE_HTML_TEXT_H

#include <stddef.h>

#include "csirt/buf.h"

/*
 * Appends the text of the UTF-8 HTML document (html, len) to 'out': text
 * nodes with white space collapsed, a line break after block elements and
 * <br>, nothing from <head>, <script> or <style>. Parsed by libxml2's
 * forgiving HTML parser (no network, no entities fetched). Returns
 * CSIRT_ETOOBIG when 'out' hits its cap, CSIRT_ENOMEM.
 */
enum csirt_rc html_text_append(const char *html, size_t len, struct buf *out);

#endif
