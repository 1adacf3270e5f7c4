# Figures and executed notebooks. Included from the Makefile, which defines PY (the venv
# python), STAMP (the venv stamp), PROCESSED (data/processed/datapackage.json) and SRC (the package sources).
#
#   make figures    every figure as SVG and PNG in reports/figures/ (byte-identical from run to run)
#   make notebooks  every notebook executed headless into reports/notebooks/ (.ipynb and .html)
#
# Prerequisites are real files. `tipstats build` rewrites the whole data/processed/ folder, so each
# dataset gets a checksum stamp under .make/data/ that changes only when the dataset's bytes change:
# a notebook reruns when its own notebook file, one of its datasets or the package sources change.
# When a rebuilt dataset has the same bytes, its file gets the stamp's time back (`touch -r`), so the
# next `make` (and `make -q`) sees nothing to do.

# DATA_STAMPS and $(call datasets,...) are defined in the Makefile, before mk/datasets.mk.

# A dataset file exists once the data are built (order-only: the build's time is not the file's).
data/processed/%.csv: | $(PROCESSED) ;
# They are real outputs of `tipstats build`, never intermediate files to delete.
.PRECIOUS: data/processed/%.csv

$(DATA_STAMPS)/%.cksum: data/processed/%.csv
	@mkdir -p $(@D)
	@cksum < $< > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; touch -r $@ $<; else mv -f $@.tmp $@; fi

# The report's own figures (trust fund target, ...) come from the claims registry.
CLAIMS_REGISTRY := $(wildcard data/reference/claims.csv)

# -- figures -------------------------------------------------------------------------------------

FIGURES_INDEX := reports/figures/index.md
# FIGURE_DATA (every dataset any figure draws from) comes from mk/datasets.mk.
$(FIGURES_INDEX): $(STAMP) $(SRC) $(CLAIMS_REGISTRY) $(call datasets,$(FIGURE_DATA))
	$(call step,figures,$(PY) -m tipstats figures --out-dir $(@D))

figures: $(FIGURES_INDEX) ## every figure as SVG and PNG in reports/figures/ (byte-identical)

# -- notebooks -----------------------------------------------------------------------------------

NOTEBOOK_SOURCES := $(sort $(wildcard notebooks/[0-9][0-9]-*.ipynb))
NOTEBOOK_RUNS := $(patsubst notebooks/%,reports/notebooks/%,$(NOTEBOOK_SOURCES))
NOTEBOOK_PAGES := $(NOTEBOOK_RUNS:.ipynb=.html)

# The datasets each notebook reads are its prerequisites in mk/datasets.mk.

# Executed notebook and its HTML page, written by one process (a pattern rule with two targets makes
# both at once). Every notebook ends with the report's values from the claims registry. MPLBACKEND is
# removed from the kernel's environment by the runner (with Agg the figures would silently vanish).
reports/notebooks/%.ipynb reports/notebooks/%.html: notebooks/%.ipynb $(STAMP) $(SRC) $(CLAIMS_REGISTRY)
	$(call step,notebook,$(PY) -m tipstats.notebooks --html $< $(@D))

# Notebooks that show the convictions analysis or the whole claims audit reuse the results the tables
# and the claims steps computed (tipstats.cache) instead of computing them again at the same time.
reports/notebooks/03-convictions-vs-legislation.ipynb: $(TABLES)
reports/notebooks/00-claims-audit.ipynb: reports/claims.md

notebooks: $(NOTEBOOK_PAGES) ## execute every notebook headless into reports/notebooks/ (.ipynb and .html)
