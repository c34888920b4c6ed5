// sjson.cpp - the C view of simdjson's DOM declared in sjson.h. Handles are
// simdjson's own element and iterator values (a document pointer and a tape
// index), copied in and out of fixed-size buffers.
#include <cstring>
#include <new>
#include <simdjson.h>

#include "scan/sjson.h"

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

static_assert(sizeof(element) <= 16, "element fits the handle");
static_assert(sizeof(array::iterator) <= 16, "array iterator fits the handle");
static_assert(sizeof(object::iterator) <= 16, "object iterator fits the handle");

struct sjdoc {
	simdjson::dom::parser parser;
	element root;
};

static sjval
wrap(const element &e)
{
	sjval v;

	std::memset(&v, 0, sizeof(v));
	std::memcpy(v.raw, static_cast<const void *>(&e), sizeof(e));
	v.ok = true;
	return v;
}

static sjval
missing()
{
	sjval v;

	std::memset(&v, 0, sizeof(v));
	return v;
}

static element
unwrap(const sjval &v)
{
	element e;

	std::memcpy(static_cast<void *>(&e), v.raw, sizeof(e));
	return e;
}

extern "C" struct sjdoc *
sj_parse(const char *data, size_t len, char *msg, size_t msgcap)
{
	sjdoc *d = new (std::nothrow) sjdoc;

	if (d == nullptr) {
		std::snprintf(msg, msgcap, "out of memory");
		return nullptr;
	}
	// parse() copies into a padded buffer when the input is not padded.
	auto r = d->parser.parse(data, len, true);
	if (r.error()) {
		std::snprintf(msg, msgcap, "%s", simdjson::error_message(r.error()));
		delete d;
		return nullptr;
	}
	d->root = r.value_unsafe();
	return d;
}

extern "C" void
sj_free(struct sjdoc *d)
{
	delete d;
}

extern "C" struct sjval
sj_root(const struct sjdoc *d)
{
	return wrap(d->root);
}

extern "C" struct sjval
sj_get(struct sjval obj, const char *key)
{
	if (!obj.ok)
		return missing();
	element e = unwrap(obj);
	if (!e.is_object())
		return missing();
	auto r = e.get_object().value_unsafe()[key];
	if (r.error())
		return missing();
	return wrap(r.value_unsafe());
}

extern "C" const char *
sj_str(struct sjval v)
{
	if (!v.ok)
		return "";
	auto r = unwrap(v).get_c_str();
	return r.error() ? "" : r.value_unsafe();
}

extern "C" bool
sj_is_string(struct sjval v)
{
	return v.ok && unwrap(v).is_string();
}

extern "C" bool
sj_is_object(struct sjval v)
{
	return v.ok && unwrap(v).is_object();
}

extern "C" bool
sj_is_array(struct sjval v)
{
	return v.ok && unwrap(v).is_array();
}

extern "C" bool
sj_is_number(struct sjval v)
{
	return v.ok && unwrap(v).is_number();
}

extern "C" bool
sj_is_true(struct sjval v)
{
	if (!v.ok)
		return false;
	auto r = unwrap(v).get_bool();
	return !r.error() && r.value_unsafe();
}

extern "C" double
sj_num(struct sjval v)
{
	if (!v.ok)
		return 0;
	auto r = unwrap(v).get_double();
	return r.error() ? 0 : r.value_unsafe();
}

template <typename It>
static void
put_iter(unsigned char *dst, const It &it)
{
	std::memcpy(dst, static_cast<const void *>(&it), sizeof(it));
}

template <typename It>
static It
get_iter(const unsigned char *src)
{
	It it;

	std::memcpy(static_cast<void *>(&it), src, sizeof(it));
	return it;
}

extern "C" bool
sj_array_first(struct sjval arr, struct sjiter *it, struct sjval *out)
{
	if (!sj_is_array(arr))
		return false;
	array a = unwrap(arr).get_array().value_unsafe();
	array::iterator b = a.begin(), e = a.end();
	if (!(b != e))
		return false;
	*out = wrap(*b);
	put_iter(it->cur, b);
	put_iter(it->end, e);
	return true;
}

extern "C" bool
sj_array_next(struct sjiter *it, struct sjval *out)
{
	array::iterator c = get_iter<array::iterator>(it->cur);
	array::iterator e = get_iter<array::iterator>(it->end);

	++c;
	if (!(c != e))
		return false;
	*out = wrap(*c);
	put_iter(it->cur, c);
	return true;
}

extern "C" bool
sj_object_first(struct sjval obj, struct sjiter *it, const char **key, struct sjval *out)
{
	if (!sj_is_object(obj))
		return false;
	object o = unwrap(obj).get_object().value_unsafe();
	object::iterator b = o.begin(), e = o.end();
	if (!(b != e))
		return false;
	*key = b.key_c_str();
	*out = wrap(b.value());
	put_iter(it->cur, b);
	put_iter(it->end, e);
	return true;
}

extern "C" bool
sj_object_next(struct sjiter *it, const char **key, struct sjval *out)
{
	object::iterator c = get_iter<object::iterator>(it->cur);
	object::iterator e = get_iter<object::iterator>(it->end);

	++c;
	if (!(c != e))
		return false;
	*key = c.key_c_str();
	*out = wrap(c.value());
	put_iter(it->cur, c);
	return true;
}
