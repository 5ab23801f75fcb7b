{application,vault_codec,
             [{description,"AEAD sealing of secrets (AES-256-GCM)"},
              {vsn,"1.3.0"},
              {modules,[vault_codec]},
              {registered,[]},
              {applications,[kernel,stdlib,crypto]},
              {env,[]}]}.
