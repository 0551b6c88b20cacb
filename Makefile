# qingshui: the commands of README.md. The build itself is meson + ninja;
# this file only names the everyday tasks.
#   make run    install what is missing, build, create the demo database, serve
#   make test   build with ASan+UBSan and run unit, integration and browser tests
#   make bench  build optimised and print the benchmarks' figures
#   make fuzz   run the fuzz targets for a bounded time

BUILD      ?= build
TESTBUILD  ?= build-test
BENCHBUILD ?= build-bench
LISTEN     ?= 127.0.0.1:8080
HJ212_PORT ?= 9212
DB         ?= var/qingshui.db
NINJA_JOBS ?= 2

.PHONY: all deps build run demo test unit integration browser bench fuzz clean

all: build

deps:
	@sh scripts/deps.sh

$(BUILD)/build.ninja: | deps
	meson setup $(BUILD) --buildtype=debugoptimized

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD) -j$(NINJA_JOBS)

# The demo database: the plan, the water demo (real 2025-11 readings of
# Shiyan's automatic stations, synthetic history, demo targets; see
# data/water/README.md), the simulated stations named after the sections
# they feed, then `qingshui demo`: demo accounts, this year's tasks with
# their reports, notices and completions, and SYNTHETIC water readings up
# to yesterday (all relative to today; DEMO_TODAY=YYYY-MM-DD tells it for
# another day). Re-running adds nothing that is there.
DEMO_STATIONS ?= 24
DEMO_TODAY    ?=
demo: build
	./$(BUILD)/qingshui init --db $(DB)
	./$(BUILD)/qingshui plan import --db $(DB) data/plans/shiyan-plan-2018-8.txt
	./$(BUILD)/qingshui water sections --db $(DB) data/water/sections_demo.csv
	./$(BUILD)/qingshui water import --db $(DB) data/water/readings_synthetic_2024-2025.csv
	./$(BUILD)/qingshui water import --db $(DB) data/water/readings_2025-11.csv
	./$(BUILD)/qingshui simulate --db $(DB) --stations $(DEMO_STATIONS) --register-only
	./$(BUILD)/qingshui demo --db $(DB) $(if $(DEMO_TODAY),--today $(DEMO_TODAY))

# Serve the demo, with the simulated monitoring stations (16 river sections,
# each feeding the section its name says, and 8 outlets) reporting to the
# HJ 212 receiver every 30 s (stopped with the server).
run: demo
	@echo
	@echo "qingshui is starting on http://$(LISTEN)"
	@echo "  the plan:            http://$(LISTEN)/"
	@echo "  responsibility map:  http://$(LISTEN)/matrix"
	@echo "  water quality:       http://$(LISTEN)/water"
	@echo "  monitoring stations: http://$(LISTEN)/stations ($(DEMO_STATIONS) simulated stations on HJ 212 port $(HJ212_PORT))"
	@echo "  sign in at http://$(LISTEN)/login as (password in the file beside each):"
	@echo "    admin    the leading-group office (tasks, reviews, notices, accounts)  $(DB).admin-password"
	@echo "    leader   a city leader (dashboard, assessment, everything read-only)   $(DB).leader-password"
	@echo "    sthjj    a city department, 市环保局 (today 市生态环境局): its tasks, reports $(DB).sthjj-password"
	@echo "    djk      a county, 丹江口市人民政府: its tasks, reports, replies to notices $(DB).djk-password"
	@echo "  API token:           $(DB).admin-token (send as 'Authorization: Bearer TOKEN')"
	@echo "Stop with Ctrl-C."
	@./$(BUILD)/qingshui simulate --stations $(DEMO_STATIONS) --interval 30 --progress 0 \
	    --target 127.0.0.1:$(HJ212_PORT) > /dev/null & sim=$$!; \
	  trap 'kill $$sim 2>/dev/null' EXIT INT TERM; \
	  ./$(BUILD)/qingshui serve --db $(DB) --listen $(LISTEN) --hj212 127.0.0.1:$(HJ212_PORT)

$(TESTBUILD)/build.ninja: | deps
	meson setup $(TESTBUILD) --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false

test: deps $(TESTBUILD)/build.ninja
	ninja -C $(TESTBUILD) -j$(NINJA_JOBS)
	sh tests/run.sh $(TESTBUILD)

$(BENCHBUILD)/build.ninja: | deps
	meson setup $(BENCHBUILD) --buildtype=release

bench: deps $(BENCHBUILD)/build.ninja
	ninja -C $(BENCHBUILD) -j$(NINJA_JOBS)
	sh bench/run.sh $(BENCHBUILD)

fuzz:
	sh scripts/fuzz.sh

clean:
	rm -rf $(BUILD) $(TESTBUILD) $(BENCHBUILD)
