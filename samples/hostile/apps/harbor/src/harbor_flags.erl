-module(harbor_flags).
-export([signal/1]).

%% Signal flags, named in UTF-8; the file starts with a byte-order mark.
signal(bravo) -> "Pavillon « Bravo » : matières dangereuses";
signal(_) -> "—".
