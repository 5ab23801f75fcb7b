-record(entry, {key :: term(),
                value :: term(),
                expires :: integer() | infinity}).
