// Built when MPLSEC_WITH_RTL is off: the RTL engine and the RTL card are
// not available.
#include <stdexcept>

#include "mplsec/engine.hpp"
#include "mplsec/rtl_card.hpp"

namespace mplsec::sim {

std::unique_ptr<Engine> make_rtl_engine() {
    throw std::runtime_error("this build has no RTL engine (configured with MPLSEC_WITH_RTL=OFF); use --engine model");
}

std::unique_ptr<RtlCard> make_rtl_card() {
    throw std::runtime_error("this build has no RTL card (configured with MPLSEC_WITH_RTL=OFF)");
}

}  // namespace mplsec::sim
