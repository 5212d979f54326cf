// mplsec_card_pkg: what the card's register logic shares.
`default_nettype none

package mplsec_card_pkg;

  // An rw register after a write under AXI4-Lite byte strobes.
  function automatic logic [31:0] strobed(logic [31:0] old, logic [31:0] value, logic [3:0] strb);
    logic [31:0] r;
    for (int unsigned b = 0; b < 4; b++) r[8*b +: 8] = strb[b] ? value[8*b +: 8] : old[8*b +: 8];
    return r;
  endfunction

endpackage
