-- wrk hooks for bench/scale.py: each connection asks in turn for the pages listed in the
-- file named by the script's first argument (one "path<TAB>cookie" a line), so one run
-- loads a mix of pages as several signed-in people; latency.lua (dofile'd: wrk runs in
-- bench/) counts statuses and prints the BENCH_JSON line.

dofile("latency.lua")

local pages = {}
local turn = 0

function init(args)
  statuses = {}
  for line in io.lines(args[1]) do
    local path, cookie = line:match("^(%S+)\t(.*)$")
    if path then
      table.insert(pages, wrk.format("GET", path, { Cookie = cookie }))
    end
  end
end

function request()
  turn = turn % #pages + 1
  return pages[turn]
end
