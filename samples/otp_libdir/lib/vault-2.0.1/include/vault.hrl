-record(secret, {name    :: binary(),
                 sealed  :: binary(),
                 version :: pos_integer()}).
