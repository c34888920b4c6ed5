/*
 * html_text.c - the text of an HTML-only e-mail, so that the body of a
 * report sent from a webmail that writes no text/plain part can still be
 * read for Form 03 fields and indicators.
 *
 * libxml2 parses (it copes with the broken HTML mail clients write); we only
 * walk the tree. The walk is iterative (next/parent pointers), so a deeply
 * nested hostile document cannot exhaust the stack; libxml2 itself refuses
 * documents nested deeper than its own limit (256 without XML_PARSE_HUGE).
 */
#include "csirt/common.h"

#include <string.h>

#include <libxml/HTMLparser.h>

#include "intake/html_text.h"

static bool
name_is(const xmlNode *n, const char *const *names)
{
	for (; *names; names++)
		if (xmlStrcasecmp(n->name, (const xmlChar *)*names) == 0)
			return true;
	return false;
}

static const char *const skipped[] = { "head", "script", "style", "template", NULL };
static const char *const blocks[] = {
	"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table",
	"ul", "ol", "pre", "blockquote", "hr", "section", "article", "header",
	"footer", "dt", "dd", "title", NULL
};

/* Appends text with runs of white space made one space. */
static enum csirt_rc
append_collapsed(struct buf *out, const char *s, bool *at_space)
{
	enum csirt_rc rc = CSIRT_OK;

	for (; *s && rc == CSIRT_OK; s++) {
		bool sp = *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f';

		if (sp) {
			if (!*at_space)
				rc = buf_append(out, " ", 1);
			*at_space = true;
		} else {
			rc = buf_append(out, s, 1);
			*at_space = false;
		}
	}
	return rc;
}

static enum csirt_rc
newline(struct buf *out, bool *at_space)
{
	/* trailing space before a line break is noise */
	if (out->len > 0 && out->data[out->len - 1] == ' ')
		out->data[--out->len] = '\0';
	*at_space = true;
	if (out->len == 0 || out->data[out->len - 1] == '\n')
		return CSIRT_OK;
	return buf_append(out, "\n", 1);
}

enum csirt_rc
html_text_append(const char *html, size_t len, struct buf *out)
{
	htmlDocPtr doc;
	xmlNode *n;
	bool at_space = true;
	enum csirt_rc rc = CSIRT_OK;

	if (len > INT32_MAX)
		return CSIRT_ETOOBIG;
	doc = htmlReadMemory(html, (int)len, NULL, "UTF-8",
	    HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
	    HTML_PARSE_NONET);
	if (doc == NULL)
		return CSIRT_OK;	/* nothing readable: an empty body */
	n = xmlDocGetRootElement(doc);
	while (n != NULL && rc == CSIRT_OK) {
		bool descend = false;

		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content)
				rc = append_collapsed(out, (const char *)n->content, &at_space);
		} else if (n->type == XML_ELEMENT_NODE) {
			if (!name_is(n, skipped)) {
				descend = n->children != NULL;
				if (xmlStrcasecmp(n->name, (const xmlChar *)"br") == 0)
					rc = newline(out, &at_space);
			}
		}
		if (descend) {
			n = n->children;
			continue;
		}
		/* Leave finished elements, closing blocks with a line break. */
		while (n != NULL && n->next == NULL && rc == CSIRT_OK) {
			n = n->parent;
			if (n == NULL || n->type == XML_DOCUMENT_NODE ||
			    n->type == XML_HTML_DOCUMENT_NODE) {
				n = NULL;
				break;
			}
			if (n->type == XML_ELEMENT_NODE && name_is(n, blocks))
				rc = newline(out, &at_space);
		}
		if (n != NULL) {
			if (n->type == XML_ELEMENT_NODE && name_is(n, blocks) &&
			    rc == CSIRT_OK)
				rc = newline(out, &at_space);
			n = n->next;
		}
	}
	xmlFreeDoc(doc);
	while (rc == CSIRT_OK && out->len > 0 &&
	    (out->data[out->len - 1] == '\n' || out->data[out->len - 1] == ' '))
		out->data[--out->len] = '\0';
	return rc;
}
