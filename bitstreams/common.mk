# Shared build recipe for the mplsec card bitstreams. Included by
# bitstreams/<card>/Makefile, which sets CARD, PLATFORM and PART.
#
#   make -C bitstreams/u280 all            # FLOW=rtl: the card (mplsec_card + CMACs)
#   make -C bitstreams/u280 all FLOW=hls   # the HLS kernel mplsec_fwd + CMACs
#   make -C bitstreams/u280 hls|rtl|link|manifest|print-inputs|info|clean
#   make -n -C bitstreams/u280 all         # dry run: works without Vitis
#
# The vendor tools are checked inside the recipes (never at parse time), so
# `make -n` prints the whole flow on a machine without Vitis.
# See bitstreams/BUILDING.md.

ifndef CARD
$(error common.mk is included by bitstreams/<card>/Makefile, which sets CARD, PLATFORM and PART)
endif

BITSTREAMS := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
REPO       := $(abspath $(BITSTREAMS)/..)
CARD_DIR   := $(BITSTREAMS)/$(CARD)

# --- what is built ------------------------------------------------------------
FLOW     ?= rtl
TARGET   ?= hw
# The UltraScale+ CMAC user clock, DESIGN.md 3.
CLOCK_HZ := 322265625
CLOCK_MHZ := 322.265625

XO_DIR := $(REPO)/build/$(CARD)/xo
ifeq ($(FLOW),rtl)
  OUT_DIR  := $(REPO)/build/$(CARD)
  LINK_CFG := $(CARD_DIR)/connectivity.cfg
  KERNEL_XOS = $(RTL_XO)
else ifeq ($(FLOW),hls)
  OUT_DIR  := $(REPO)/build/$(CARD)-hls
  LINK_CFG := $(CARD_DIR)/connectivity_hls.cfg
  KERNEL_XOS = $(HLS_XO)
else
  $(error FLOW=$(FLOW): use FLOW=rtl (the card, mplsec_card) or FLOW=hls (the HLS kernel mplsec_fwd))
endif
XCLBIN   := $(OUT_DIR)/mplsec.xclbin
# v++ -l writes LINKED; XCLBIN is LINKED with USER_METADATA added.
LINKED   := $(OUT_DIR)/mplsec.linked.xclbin
USER_METADATA := $(OUT_DIR)/user_metadata.json
MANIFEST := $(OUT_DIR)/manifest.json

# --- tools -------------------------------------------------------------------
VPP    ?= v++
VIVADO ?= vivado
XCLBINUTIL ?= xclbinutil
PYTHON ?= python3
# package_xo is a Tcl command of Vivado, not a program: the rtl target runs
# it through `vivado -mode batch`.

# GNU make puts the single-letter flags first in MAKEFLAGS: `n` there is -n.
DRY_RUN := $(findstring n,$(firstword -$(MAKEFLAGS)))

# $(call need_tool,prog,what for): a recipe line. Stops the build with a
# clear message when prog is not on PATH; under make -n only prints a note.
need_tool = $(if $(DRY_RUN),@echo "dry run: needs $(1) on PATH ($(2))",$(if $(shell command -v $(1) 2>/dev/null),,$(error $(1) not found on PATH: $(2) needs Vitis 2022.2 or newer (source <vitis>/settings64.sh; see bitstreams/BUILDING.md))))

# $(call need_file,path,message): a recipe line, same rules as need_tool.
need_file = $(if $(DRY_RUN),@echo "dry run: needs $(1)",$(if $(wildcard $(1)),,$(error $(1) not found: $(2))))

# The platform (xpfm) must be installed where v++ looks for it.
PLATFORM_XPFM = $(firstword $(wildcard $(addsuffix /$(PLATFORM)/$(PLATFORM).xpfm,$(subst :, ,$(PLATFORM_REPO_PATHS)) /opt/xilinx/platforms)))
need_platform = $(if $(DRY_RUN),@echo "dry run: needs platform $(PLATFORM)",$(if $(PLATFORM_XPFM),,$(error platform $(PLATFORM) not installed: no $(PLATFORM).xpfm under PLATFORM_REPO_PATHS or /opt/xilinx/platforms (install the platform's deployment and development packages))))

# --- HLS kernel (v++ -c) -------------------------------------------------------
# hls/compat (the g++ stand-ins for ap_int.h and hls_stream.h) is NOT on the
# include path: v++ uses the vendor headers.
HLS_DIR      := $(REPO)/hls/fwd
HLS_SRCS     := $(HLS_DIR)/fwd_kernel.cpp $(HLS_DIR)/forward.cpp $(HLS_DIR)/packet_path.cpp
HLS_HDRS     := $(wildcard $(HLS_DIR)/*.hpp) $(REPO)/drivers/include/mplsec/regs.hpp
HLS_INCLUDES := -I$(HLS_DIR) -I$(REPO)/drivers/include
HLS_XO       := $(XO_DIR)/mplsec_fwd.xo
HLS_FLAGS    := --hls.clock $(CLOCK_HZ):mplsec_fwd \
                --advanced.prop kernel.mplsec_fwd.kernel_flags="-std=c++17"

# --- RTL kernel (package_xo) ---------------------------------------------------
# One file list, paths relative to the repository root; a line marked
# `// PENDING:` names a file still to be written (the card top).
RTL_FILE_LIST := $(BITSTREAMS)/rtl_files.f
RTL_FILES     := $(addprefix $(REPO)/,$(shell sed -e 's://.*$$::' $(RTL_FILE_LIST)))
RTL_PENDING   := $(shell sed -n -e 's:^[[:space:]]*\([^[:space:]/][^[:space:]]*\)[[:space:]]*//[[:space:]]*PENDING.*:\1:p' $(RTL_FILE_LIST))
RTL_EXISTING  := $(wildcard $(RTL_FILES))
RTL_MISSING   := $(filter-out $(RTL_EXISTING),$(RTL_FILES))
KERNEL_XML    := $(BITSTREAMS)/kernel.xml
PACKAGE_TCL   := $(BITSTREAMS)/package_kernel.tcl
RTL_XO        := $(XO_DIR)/mplsec_card.xo

need_rtl_sources = $(if $(DRY_RUN),$(if $(RTL_MISSING),@echo "dry run: pending RTL sources: $(RTL_MISSING:$(REPO)/%=%)"),$(if $(RTL_PENDING),$(error the card top is pending: $(RTL_PENDING) is marked PENDING in bitstreams/rtl_files.f (register file + fwd pipelines; issue "virtual card / card top"); FLOW=hls builds without it),$(if $(RTL_MISSING),$(error files in bitstreams/rtl_files.f not found: $(RTL_MISSING:$(REPO)/%=%)))))

# --- link (v++ -l) ----------------------------------------------------------------
# The CMAC kernels cmac_0 / cmac_1 (stream ports M_AXIS, S_AXIS) are not in
# this repository: build them for the same platform (e.g. the Ethernet/ part
# of the XUP Vitis Network Example) and point CMAC_XO_DIR at them.
# CMAC_POST_LINK_TCL is the Tcl that wires their GT and reference-clock pins
# to the platform's QSFP ports, if the CMAC kernels need one.
CMAC_XO_DIR        ?= $(REPO)/build/$(CARD)/cmac
CMAC_POST_LINK_TCL ?=
CMAC_XOS := $(CMAC_XO_DIR)/cmac_0.xo $(CMAC_XO_DIR)/cmac_1.xo
LINK_FLAGS := --config $(LINK_CFG) \
              $(if $(CMAC_POST_LINK_TCL),--advanced.param compiler.userPostSysLinkOverlayTcl=$(CMAC_POST_LINK_TCL))
VPP_JOBS ?= 8

# --- manifest -----------------------------------------------------------------
REGMAP       := $(REPO)/regmap/mplsec.yaml
MANIFEST_PY  := $(BITSTREAMS)/write_manifest.py
REGMAP_VERSION := $(shell sed -n -e 's/^regmap_version:[[:space:]]*{[[:space:]]*major:[[:space:]]*\([0-9]*\),[[:space:]]*minor:[[:space:]]*\([0-9]*\).*/\1.\2/p' $(REGMAP))

# --- targets -------------------------------------------------------------------
.PHONY: all hls rtl link manifest info print-inputs clean
.DELETE_ON_ERROR:

all: manifest

hls: $(HLS_XO)
rtl: $(RTL_XO)
link: $(XCLBIN)
manifest: $(MANIFEST)

$(HLS_XO): $(HLS_SRCS) $(HLS_HDRS) $(BITSTREAMS)/common.mk
	$(call need_tool,$(VPP),target hls: v++ -c)
	$(call need_platform)
	@mkdir -p $(XO_DIR)
	$(VPP) -c -t $(TARGET) --platform $(PLATFORM) -k mplsec_fwd $(HLS_FLAGS) \
	    $(HLS_INCLUDES) --temp_dir $(XO_DIR)/hls.tmp --log_dir $(XO_DIR)/hls.log \
	    $(HLS_SRCS) -o $@

$(RTL_XO): $(RTL_EXISTING) $(RTL_FILE_LIST) $(KERNEL_XML) $(PACKAGE_TCL)
	$(call need_tool,$(VIVADO),target rtl: package_xo runs inside Vivado)
	$(call need_rtl_sources)
	@mkdir -p $(XO_DIR)/mplsec_card.pkg
	cd $(XO_DIR)/mplsec_card.pkg && $(VIVADO) -mode batch -notrace -nojournal \
	    -log package_kernel.log -source $(PACKAGE_TCL) \
	    -tclargs $(REPO) $(RTL_FILE_LIST) $(KERNEL_XML) $(PART) $@ $(XO_DIR)/mplsec_card.pkg

$(LINKED): $(KERNEL_XOS) $(LINK_CFG)
	$(call need_tool,$(VPP),target link: v++ -l)
	$(call need_platform)
	$(call need_file,$(word 1,$(CMAC_XOS)),set CMAC_XO_DIR to the folder holding cmac_0.xo and cmac_1.xo built for $(PLATFORM))
	$(call need_file,$(word 2,$(CMAC_XOS)),set CMAC_XO_DIR to the folder holding cmac_0.xo and cmac_1.xo built for $(PLATFORM))
	@mkdir -p $(OUT_DIR)
	$(VPP) -l -t $(TARGET) --platform $(PLATFORM) $(LINK_FLAGS) -j $(VPP_JOBS) \
	    --temp_dir $(OUT_DIR)/link.tmp --log_dir $(OUT_DIR)/link.log \
	    --report_dir $(OUT_DIR)/reports \
	    -o $@ $(KERNEL_XOS) $(CMAC_XOS)

# The register-map version, kernels and source revision go into the xclbin
# itself (USER_METADATA), where the runtime checks them before a load.
$(USER_METADATA): $(LINKED) $(REGMAP) $(MANIFEST_PY) $(LINK_CFG)
	$(PYTHON) $(MANIFEST_PY) --user-metadata --repo $(REPO) --card $(CARD) --platform $(PLATFORM) \
	    --flow $(FLOW) --clock-hz $(CLOCK_HZ) --regmap $(REGMAP) --config $(LINK_CFG) --output $@

$(XCLBIN): $(LINKED) $(USER_METADATA)
	$(call need_tool,$(XCLBINUTIL),adding USER_METADATA to the xclbin)
	$(XCLBINUTIL) --input $(LINKED) --add-section USER_METADATA:RAW:$(USER_METADATA) --force --output $@

$(MANIFEST): $(XCLBIN) $(REGMAP) $(MANIFEST_PY) $(LINK_CFG)
	$(PYTHON) $(MANIFEST_PY) --repo $(REPO) --card $(CARD) --platform $(PLATFORM) \
	    --flow $(FLOW) --clock-hz $(CLOCK_HZ) --regmap $(REGMAP) --config $(LINK_CFG) \
	    --xclbin $(XCLBIN) --output $@

info:
	@echo "card            $(CARD)"
	@echo "platform        $(PLATFORM) (part $(PART))"
	@echo "flow            $(FLOW)"
	@echo "clock target    $(CLOCK_MHZ) MHz"
	@echo "regmap version  $(REGMAP_VERSION)"
	@echo "link config     $(LINK_CFG:$(REPO)/%=%)"
	@echo "xclbin          $(XCLBIN:$(REPO)/%=%)"
	@echo "rtl pending     $(or $(RTL_PENDING),none)"

# Every repository file the recipes read, one a line (relative to the
# repository root; pending RTL files included). Used by the CI check.
print-inputs:
	@printf '%s\n' $(sort $(patsubst $(REPO)/%,%,$(HLS_SRCS) $(HLS_HDRS) $(RTL_FILES) $(RTL_FILE_LIST) \
	    $(KERNEL_XML) $(PACKAGE_TCL) $(CARD_DIR)/connectivity.cfg $(CARD_DIR)/connectivity_hls.cfg \
	    $(REGMAP) $(MANIFEST_PY) $(BITSTREAMS)/common.mk $(CARD_DIR)/Makefile))

clean:
	rm -rf $(REPO)/build/$(CARD) $(REPO)/build/$(CARD)-hls
