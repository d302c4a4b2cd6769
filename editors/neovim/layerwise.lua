-- layerwise for Neovim's built-in LSP client: Dockerfile diagnostics as you type.
--
-- Copy this file to ~/.config/nvim/plugin/layerwise.lua (or `dofile` it from init.lua).
-- `layerwise` must be on PATH, or set vim.g.layerwise_cmd = { '/path/to/layerwise', 'lsp' }.
-- Works on Neovim 0.7 and later; positions are exchanged in UTF-8 where Neovim allows it.

local cmd = vim.g.layerwise_cmd or { 'layerwise', 'lsp' }
local root_markers = { '.git', '.hadolint.yaml', '.hadolint.yml' }

local function root_dir(bufnr)
  local file = vim.api.nvim_buf_get_name(bufnr)
  local dir = vim.fn.fnamemodify(file, ':p:h')
  for _, marker in ipairs(root_markers) do
    local found = vim.fn.finddir(marker, dir .. ';')
    if found ~= '' then
      return vim.fn.fnamemodify(found, ':p:h:h') -- `:p` of a directory ends in `/`
    end
    found = vim.fn.findfile(marker, dir .. ';')
    if found ~= '' then
      return vim.fn.fnamemodify(found, ':p:h')
    end
  end
  return dir
end

-- Neovim 0.11 and later: declarative configuration.
if vim.lsp.config and vim.lsp.enable then
  vim.lsp.config('layerwise', {
    cmd = cmd,
    filetypes = { 'dockerfile' },
    root_markers = root_markers,
  })
  vim.lsp.enable('layerwise')
  return
end

-- Neovim 0.7 to 0.10.
local clients = {} -- root directory -> client id (0.7 only)

vim.api.nvim_create_autocmd('FileType', {
  pattern = 'dockerfile',
  callback = function(args)
    local bufnr = args.buf
    local root = root_dir(bufnr)
    if vim.lsp.start then -- 0.8 to 0.10: reuses a running client for the same root.
      vim.lsp.start({ name = 'layerwise', cmd = cmd, root_dir = root }, { bufnr = bufnr })
      return
    end
    -- 0.7: one client per root, started by hand. Neovim 0.7 predates `positionEncodings`;
    -- the `offsetEncoding` extension (which layerwise understands) gets UTF-8 positions.
    local id = clients[root]
    if not id or not vim.lsp.get_client_by_id(id) then
      local capabilities = vim.lsp.protocol.make_client_capabilities()
      capabilities.offsetEncoding = { 'utf-8', 'utf-16' }
      id = vim.lsp.start_client({
        name = 'layerwise',
        cmd = cmd,
        root_dir = root,
        capabilities = capabilities,
        on_init = function(client, result)
          if result.offsetEncoding then
            client.offset_encoding = result.offsetEncoding
          end
        end,
      })
      clients[root] = id
    end
    if id then
      vim.lsp.buf_attach_client(bufnr, id)
    end
  end,
})
