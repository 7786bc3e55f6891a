-- wrk counts 3xx answers as successes; a page that redirects (a lost session) must not look
-- fast. Each thread counts answers other than 200; done() adds them up.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  not_ok = 0
end

function response(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("not_ok")
  end
  io.write(string.format("Answers other than 200: %d\n", total))
end
