-- Drives Neovim's built-in LSP client against `layerwise lsp` for tests/lsp_nvim.rs.
--
-- Opens the Dockerfile named by LAYERWISE_NVIM_FILE, attaches a client running
-- `LAYERWISE_BIN lsp`, waits for diagnostics, edits the buffer (an incremental didChange),
-- waits for the new diagnostics, stops the client, and writes everything it saw as JSON to
-- LAYERWISE_NVIM_OUT. Every wait is bounded; the script always writes its file and quits.

local bin = os.getenv('LAYERWISE_BIN')
local file = os.getenv('LAYERWISE_NVIM_FILE')
local out = os.getenv('LAYERWISE_NVIM_OUT')
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

local ok, err = pcall(function()
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local bufnr = vim.api.nvim_get_current_buf()
  result.filetype = vim.bo[bufnr].filetype

  local client_id = vim.lsp.start_client({
    name = 'layerwise',
    cmd = { bin, 'lsp' },
    root_dir = vim.fn.fnamemodify(file, ':h'),
    handlers = {
      ['textDocument/publishDiagnostics'] = function(e, params, ctx, config)
        table.insert(result.published, {
          version = params.version,
          count = #params.diagnostics,
        })
        vim.lsp.diagnostic.on_publish_diagnostics(e, params, ctx, config)
      end,
    },
    on_exit = function(code)
      result.exit_code = code
    end,
  })
  if not client_id then
    error('vim.lsp.start_client failed')
  end
  vim.lsp.buf_attach_client(bufnr, client_id)

  if not vim.wait(wait_ms, function() return #result.published > 0 end, 10) then
    error('no diagnostics within ' .. wait_ms .. ' ms')
  end
  snapshot(bufnr, 'opened')
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
  if not vim.wait(wait_ms, function() return result.exit_code ~= nil end, 10) then
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
