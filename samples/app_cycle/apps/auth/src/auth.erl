-module(auth).

-export([login/1, whoami/1]).

login(User) ->
    auth_tokens:issue(User).

whoami(Token) ->
    auth_tokens:whoami(Token).
