# Packages the user-managed RTL kernel mplsec_card as a Vitis .xo.
# Run by common.mk (rtl target) inside Vivado:
#   vivado -mode batch -source package_kernel.tcl \
#       -tclargs <repo> <rtl_files.f> <kernel.xml> <part> <xo> <work dir>
# The file list and kernel.xml are the single sources of the file set and
# of the interfaces; nothing here repeats them.
if {[llength $argv] != 6} {
  error "usage: -tclargs <repo> <rtl_files.f> <kernel.xml> <part> <xo> <work dir>"
}
lassign $argv repo file_list kernel_xml part xo work

set files {}
set fh [open $file_list r]
foreach line [split [read $fh] "\n"] {
  set path [string trim [regsub {//.*$} $line ""]]
  if {$path ne ""} { lappend files [file join $repo $path] }
}
close $fh

set fh [open $kernel_xml r]
set xml [read $fh]
close $fh
set busifs {}
foreach {- name} [regexp -all -inline {<port name="([^"]+)"} $xml] { lappend busifs $name }

create_project -force mplsec_card_pack $work/project -part $part
add_files -norecurse $files
set_property file_type SystemVerilog [get_files -filter {FILE_TYPE == Verilog || FILE_TYPE == SystemVerilog}]
set_property top mplsec_card [current_fileset]
update_compile_order -fileset sources_1

ipx::package_project -root_dir $work/ip -vendor mplsec.org -library kernel \
    -taxonomy /KernelIP -import_files -set_current false
ipx::unload_core $work/ip/component.xml
ipx::edit_ip_in_project -upgrade true -name mplsec_card_edit -directory $work/ip $work/ip/component.xml
set core [ipx::current_core]
set_property core_revision 1 $core
foreach busif $busifs {
  ipx::associate_bus_interfaces -busif $busif -clock ap_clk $core
}
set_property sdx_kernel true $core
set_property sdx_kernel_type rtl $core
set_property vitis_drc {ctrl_protocol user_managed} $core
set_property ipi_drc {ignore_freq_hz true} $core
ipx::create_xgui_files $core
ipx::update_checksums $core
ipx::check_integrity -kernel $core
ipx::save_core $core
close_project -delete

package_xo -force -xo_path $xo -kernel_name mplsec_card -ip_directory $work/ip \
    -kernel_xml $kernel_xml
