/*
** `air aqi` and `air rank` without the I/O: CSV text in, CSV text out.
** Pure.
**
** aqi: hourly station rows with the columns time (YYYY-MM-DD HH:00, the end
** of the hour), station_code, pm2_5, pm10, so2, no2, co, o3 (µg/m³, CO
** mg/m³), optionally so2_24h (used by HJ 633-2012 past 800 µg/m³ of 1-hour
** SO2), others ignored; a value empty or NA is missing, / not measured.
** Out: station_code,time,aqi,level,primary in input order.
**
** rank: cities with the column city and either composite_index (and
** optionally main_pollutant, passed through) or the period statistics so2,
** no2, pm10, pm2_5 (means), co (95th percentile), o3_8h (90th percentile).
** Out: rank,city,composite_index,main_pollutant, by rank (ties in input order).
*/
#ifndef QS_AIR_CONVERT_H
#define QS_AIR_CONVERT_H
#include "air/air.h"
#include <stddef.h>

struct buf;

/* Append the converted rows to OUT. 0, or -1 at the first malformed row
** with ERR "line N, field F: what" (OUT then holds a partial result). */
int air_aqi_csv(const struct air_standard *s, const char *in, size_t len, struct buf *out,
                char *err, size_t errlen);
int air_rank_csv(const struct air_standard *s, const char *in, size_t len, struct buf *out,
                 char *err, size_t errlen);

/* The keys of the bits of MASK joined by ',' in the listing order. */
void air_keys_text(const struct air_standard *s, unsigned mask, struct buf *out);

#endif
