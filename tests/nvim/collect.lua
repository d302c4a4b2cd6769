-- Drives Neovim's built-in LSP client against `layerwise lsp` for tests/lsp_nvim.rs.
--
-- Opens the Dockerfile named by LAYERWISE_NVIM_FILE with a client running `LAYERWISE_BIN lsp`
-- (started here with vim.lsp.start_client, or by the editors/ snippet named by
-- LAYERWISE_NVIM_SNIPPET), waits for diagnostics, edits the buffer (an incremental didChange),
-- waits for the new diagnostics, stops the client, and writes everything it saw as JSON to
-- LAYERWISE_NVIM_OUT. Every wait is bounded; the script always writes its file and quits.

local bin = os.getenv('LAYERWISE_BIN')
local file = os.getenv('LAYERWISE_NVIM_FILE')
local out = os.getenv('LAYERWISE_NVIM_OUT')
local snippet = os.getenv('LAYERWISE_NVIM_SNIPPET')
local wait_ms = 15000

local result = { published = {}, snapshots = {} }

local function snapshot(bufnr, label)
  local items = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(items, {
      code = d.code,
      lnum = d.lnum,
      col = d.col,
      end_lnum = d.end_lnum,
      end_col = d.end_col,
      severity = d.severity,
      source = d.source,
      message = d.message,
    })
  end
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  table.insert(result.snapshots, {
    label = label,
    diagnostics = items,
    text = table.concat(lines, '\n') .. '\n',
  })
end

local default_handler = vim.lsp.handlers['textDocument/publishDiagnostics']
vim.lsp.handlers['textDocument/publishDiagnostics'] = function(e, params, ctx, config)
  table.insert(result.published, { version = params.version, count = #params.diagnostics })
  default_handler(e, params, ctx, config)
end

local function start_by_hand(bufnr)
  local client_id = vim.lsp.start_client({
    name = 'layerwise',
    cmd = { bin, 'lsp' },
    root_dir = vim.fn.fnamemodify(file, ':h'),
    on_exit = function(code)
      result.exit_code = code
    end,
  })
  if not client_id then
    error('vim.lsp.start_client failed')
  end
  vim.lsp.buf_attach_client(bufnr, client_id)
  return client_id
end

local function started_by_snippet(bufnr)
  local client_id
  local attached = vim.wait(wait_ms, function()
    for id, _ in pairs(vim.lsp.buf_get_clients(bufnr)) do
      client_id = id
    end
    return client_id ~= nil
  end, 10)
  if not attached then
    error('the snippet attached no client within ' .. wait_ms .. ' ms')
  end
  return client_id
end

local ok, err = pcall(function()
  if snippet then
    vim.g.layerwise_cmd = { bin, 'lsp' }
    dofile(snippet)
  end
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  result.filetype = vim.bo[bufnr].filetype
  local client_id
  if snippet then
    client_id = started_by_snippet(bufnr)
  else
    client_id = start_by_hand(bufnr)
  end

  if not vim.wait(wait_ms, function() return #result.published > 0 end, 10) then
    error('no diagnostics within ' .. wait_ms .. ' ms')
  end
  snapshot(bufnr, 'opened')
  result.offset_encoding = vim.lsp.get_client_by_id(client_id).offset_encoding
  local first_version = result.published[#result.published].version

  -- Replace line 3 and add a line after it: Neovim sends an incremental change.
  vim.api.nvim_buf_set_lines(bufnr, 2, 3, false, { 'WORKDIR /äpp', 'FROM --platform=😀 alpine' })
  local function newer()
    local last = result.published[#result.published]
    return last.version ~= nil and last.version > first_version
  end
  if not vim.wait(wait_ms, newer, 10) then
    error('no diagnostics for the edited buffer within ' .. wait_ms .. ' ms')
  end
  snapshot(bufnr, 'edited')

  vim.lsp.stop_client(client_id)
  local function stopped()
    -- By hand we also hear the exit code; the snippet keeps it to itself.
    local exited = snippet or result.exit_code ~= nil
    return exited and vim.lsp.get_client_by_id(client_id) == nil
  end
  if not vim.wait(wait_ms, stopped, 10) then
    error('the server did not exit within ' .. wait_ms .. ' ms')
  end
end)

if not ok then
  result.error = tostring(err)
end
local f = io.open(out, 'w')
if f then
  f:write(vim.fn.json_encode(result))
  f:close()
end
vim.cmd('qa!')
