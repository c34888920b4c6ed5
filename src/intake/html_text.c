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

/*
 * A link's target is what a phishing report is about, and the text of an
 * HTML mail hides it ("Đăng nhập tại đây"): after the link text we write
 * " <target>" for absolute http(s)/ftp targets that the text does not
 * already show.
 */
static enum csirt_rc
append_link_target(xmlNode *a, struct buf *out, bool *at_space)
{
	xmlChar *href = xmlGetProp(a, (const xmlChar *)"href");
	xmlChar *text = NULL;
	enum csirt_rc rc = CSIRT_OK;

	if (href == NULL)
		return CSIRT_OK;
	if (xmlStrncasecmp(href, (const xmlChar *)"http://", 7) != 0 &&
	    xmlStrncasecmp(href, (const xmlChar *)"https://", 8) != 0 &&
	    xmlStrncasecmp(href, (const xmlChar *)"ftp://", 6) != 0)
		goto out;
	text = xmlNodeGetContent(a);
	if (text != NULL && xmlStrstr(text, href) != NULL)
		goto out;
	rc = buf_printf(out, "%s<%s>", *at_space ? "" : " ", (const char *)href);
	*at_space = false;
out:
	xmlFree(text);
	xmlFree(href);
	return rc;
}

/* What ends an element: a line break after a block, the target of a link. */
static enum csirt_rc
leave_element(xmlNode *n, struct buf *out, bool *at_space)
{
	if (n->type != XML_ELEMENT_NODE)
		return CSIRT_OK;
	if (name_is(n, blocks))
		return newline(out, at_space);
	if (xmlStrcasecmp(n->name, (const xmlChar *)"a") == 0)
		return append_link_target(n, out, at_space);
	return CSIRT_OK;
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
		if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
			if (n->content)
				rc = append_collapsed(out, (const char *)n->content, &at_space);
		} else if (n->type == XML_ELEMENT_NODE && !name_is(n, skipped)) {
			if (n->children != NULL) {
				n = n->children;
				continue;
			}
			rc = leave_element(n, out, &at_space);
		}
		/* Next sibling, or up through the elements this one finishes. */
		while (n != NULL && n->next == NULL && rc == CSIRT_OK) {
			n = n->parent;
			if (n == NULL || n->type == XML_DOCUMENT_NODE ||
			    n->type == XML_HTML_DOCUMENT_NODE) {
				n = NULL;
				break;
			}
			rc = leave_element(n, out, &at_space);
		}
		if (n != NULL)
			n = n->next;
	}
	xmlFreeDoc(doc);
	while (rc == CSIRT_OK && out->len > 0 &&
	    (out->data[out->len - 1] == '\n' || out->data[out->len - 1] == ' '))
		out->data[--out->len] = '\0';
	return rc;
}
