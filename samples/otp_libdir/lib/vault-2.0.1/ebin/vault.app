{application,vault,
             [{description,"In-memory secret store"},
              {vsn,"2.0.1"},
              {modules,[vault,vault_app,vault_keyring,vault_store,vault_sup]},
              {registered,[vault_sup,vault_keyring,vault_store]},
              {applications,[kernel,stdlib,crypto,vault_codec]},
              {mod,{vault_app,[]}},
              {env,[{max_secrets,10000}]}]}.
