# Checks the exported interface of libquotaflow_c.so:
#  - every defined dynamic symbol starts with qf_ (nothing from C++, Boost or libstdc++ leaks);
#  - a few known entry points are there;
#  - the SONAME is libquotaflow_c.so.0.
# Usage: cmake -DLIB=<path> -DNM=<nm> -DREADELF=<readelf> -DEXPECTED_SONAME=<name> -P check_symbols.cmake
cmake_minimum_required(VERSION 3.20)
foreach(var LIB NM READELF EXPECTED_SONAME)
  if(NOT DEFINED ${var} OR "${${var}}" STREQUAL "")
    message(FATAL_ERROR "check_symbols.cmake: ${var} is not set")
  endif()
endforeach()
if(NOT EXISTS "${LIB}")
  message(FATAL_ERROR "library ${LIB} does not exist")
endif()

execute_process(COMMAND "${NM}" -D --defined-only "${LIB}"
  OUTPUT_VARIABLE nm_out ERROR_VARIABLE nm_err RESULT_VARIABLE nm_rc)
if(NOT nm_rc EQUAL 0)
  message(FATAL_ERROR "${NM} -D --defined-only ${LIB} failed (${nm_rc}): ${nm_err}")
endif()

string(REPLACE "\n" ";" lines "${nm_out}")
set(bad "")
set(good "")
foreach(line IN LISTS lines)
  string(STRIP "${line}" line)
  if(line STREQUAL "")
    continue()
  endif()
  # "<address> <type> <name>[@version]"
  if(NOT line MATCHES "^[0-9a-fA-F]+ +([A-Za-z]) +([^ @]+)")
    message(FATAL_ERROR "unexpected nm output line: ${line}")
  endif()
  set(type "${CMAKE_MATCH_1}")
  set(name "${CMAKE_MATCH_2}")
  # Version definitions of a version script appear as absolute symbols; there are none today,
  # but they are not code or data and would not be a leak.
  if(type STREQUAL "A")
    continue()
  endif()
  if(name MATCHES "^qf_")
    list(APPEND good "${name}")
  else()
    list(APPEND bad "${type} ${name}")
  endif()
endforeach()

if(bad)
  list(LENGTH bad n_bad)
  string(REPLACE ";" "\n  " bad_text "${bad}")
  message(FATAL_ERROR "${LIB} exports ${n_bad} symbol(s) without the qf_ prefix:\n  ${bad_text}")
endif()
foreach(required qf_version qf_last_error_message qf_status_name qf_free qf_amount_parse qf_calendar_create
                 qf_calendar_destroy qf_calendar_periods qf_calendar_period_label)
  if(NOT "${required}" IN_LIST good)
    message(FATAL_ERROR "${LIB} does not export ${required}")
  endif()
endforeach()
list(LENGTH good n_good)

execute_process(COMMAND "${READELF}" -d "${LIB}"
  OUTPUT_VARIABLE readelf_out ERROR_VARIABLE readelf_err RESULT_VARIABLE readelf_rc)
if(NOT readelf_rc EQUAL 0)
  message(FATAL_ERROR "${READELF} -d ${LIB} failed (${readelf_rc}): ${readelf_err}")
endif()
if(NOT readelf_out MATCHES "\\(SONAME\\)[^\n]*\\[([^]\n]*)\\]")
  message(FATAL_ERROR "${LIB} has no SONAME:\n${readelf_out}")
endif()
set(soname "${CMAKE_MATCH_1}")
if(NOT soname STREQUAL EXPECTED_SONAME)
  message(FATAL_ERROR "${LIB} has SONAME ${soname}, expected ${EXPECTED_SONAME}")
endif()

message(STATUS "${LIB}: ${n_good} exported symbols, all qf_*; SONAME ${soname}")
