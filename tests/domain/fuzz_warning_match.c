/*
 * Fuzz target for matching warnings to components: the products come from
 * a coordinator or an imported catalogue, the components from a unit's
 * register, so both are hostile JSON. Input: one JSON document
 * {"products": [...], "components": [...]} (anything else is fine too).
 */
#include "csirt/common.h"

#include "csirt/warning_match.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_t *root = json_loadb((const char *)data, size, 0, NULL);
	char why[256];
	enum warning_match m;

	if (root == NULL)
		return 0;
	m = warning_match_components(json_object_get(root, "products"),
	    json_object_get(root, "components"), why, sizeof(why));
	if ((m != WM_NO && !utf8_valid(why, strlen(why))) || m > WM_POSSIBLY)
		abort();
	json_decref(root);
	return 0;
}
