/*
 * seed.c - fills a data folder with N incidents for the benchmarks
 * (bench/api/run.sh), through the same service the API calls, so every
 * incident has its deadlines, search text and audit record. Durability is
 * switched off for the load only (synchronous=OFF), then a checkpoint
 * writes everything: a bulk load, not the measured path.
 *
 * usage: seed DIR N
 */
#include "csirt/common.h"
#include "csirt/accounts.h"
#include "csirt/entities.h"
#include "csirt/incidents.h"
#include "csirt/registry.h"
#include "csirt/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const words[] = { "Sự cố", "mã độc", "tấn công", "thay đổi giao diện", "cổng thông tin",
	"máy chủ", "dữ liệu", "mã hóa", "từ chối dịch vụ", "giả mạo", "thư điện tử", "Sở Y tế", "Đắk Lắk",
	"truy cập trái phép", "lỗ hổng", "phần mềm", "quá tải", "mất điện", "đường truyền", "bệnh viện" };
static const char *const tax[] = { "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8", "1.9", "1.10",
	"2.1", "2.2", "2.3", "2.4", "2.5", "3.1", "3.2", "3.3", "3.4", "3.5", "4" };

int
main(int argc, char **argv)
{
	struct store *st;
	struct csirt_err err;
	struct actor admin;
	int64_t n, orgs[20], systems[40], id;
	char gen[80], code[TRACKING_CODE_MAX], iso[32], title[300];
	int created;
	unsigned seed = 42;

	if (argc != 3 || parse_int64(argv[2], 1, 10000000, &n) != CSIRT_OK) {
		fprintf(stderr, "usage: seed DIR N\n");
		return 2;
	}
	if (store_open(argv[1], &st, &err) != CSIRT_OK || accounts_bootstrap(st, gen, sizeof(gen),
	    &created, &err) != CSIRT_OK || accounts_actor(st, 1, &admin) != CSIRT_OK) {
		fprintf(stderr, "seed: %s\n", err.msg);
		return 1;
	}
	store_exec(st, "PRAGMA synchronous=OFF", NULL, NULL, NULL);
	for (int i = 0; i < 20; i++) {
		json_t *o = json_pack("{s:s%}", "name", words[i], strlen(words[i]));
		if (i)
			json_object_set_new(o, "parent_id", json_integer(orgs[0]));
		registry_create(st, &admin, &entity_org, o, &orgs[i], &err);
		json_decref(o);
	}
	for (int i = 0; i < 40; i++) {
		json_t *s = json_pack("{s:s,s:I,s:I,s:i}", "name", words[i % 20], "owner_org_id",
		    (json_int_t)orgs[i % 20], "operator_org_id", (json_int_t)orgs[i % 20], "level", 1 + i % 4);
		registry_create(st, &admin, &entity_system, s, &systems[i], &err);
		json_decref(s);
	}
	for (int64_t i = 0; i < n; i++) {
		json_t *in;

		snprintf(title, sizeof(title), "%s %s %s %lld", words[rand_r(&seed) % 20],
		    words[rand_r(&seed) % 20], words[rand_r(&seed) % 20], (long long)i);
		time_format_iso(time_now() - (int64_t)(rand_r(&seed) % (400 * 86400)), iso);
		in = json_pack("{s:s,s:s,s:s,s:I,s:[I],s:s,s:[{s:s,s:s}]}", "title", title, "detected_at",
		    iso, "taxonomy_code", tax[i % 21], "org_id", (json_int_t)orgs[i % 20], "systems",
		    (json_int_t)systems[i % 40], "description", "Mô tả chi tiết diễn biến sự cố và biện pháp xử lý ban đầu.",
		    "observables", "type", "ip", "value", "198.51.100.1");
		if (incident_create(st, &admin, in, "api", &id, code, &err) != CSIRT_OK) {
			fprintf(stderr, "seed: incident %lld: %s\n", (long long)i, err.msg);
			return 1;
		}
		json_decref(in);
		if (i % 10000 == 0 && i)
			fprintf(stderr, "seed: %lld incidents\n", (long long)i);
	}
	{
		json_t *rows = NULL;

		store_query_json(st, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, &rows);
		json_decref(rows);
	}
	store_close(st);
	printf("seeded %lld incidents in %s\n", (long long)n, argv[1]);
	return 0;
}
