#compdef kubectl-sidecarset

autoload -U is-at-least

_kubectl-sidecarset() {
    typeset -A opt_args
    typeset -a _arguments_options
    local ret=1

    if is-at-least 5.2; then
        _arguments_options=(-s -S -C)
    else
        _arguments_options=(-s -C)
    fi

    local context curcontext="$curcontext" state line
    _arguments "${_arguments_options[@]}" : \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
":: :_kubectl-sidecarset_commands" \
"*::: :->kubectl-sidecarset" \
&& ret=0
    case $state in
    (kubectl-sidecarset)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:kubectl-sidecarset-command-$line[1]:"
        case $line[1] in
            (inject)
_arguments "${_arguments_options[@]}" : \
'*-f+[A file, a directory, a glob, or - for standard input (repeatable). With none and standard input not a terminal, standard input is read]:PATH:_default' \
'*--filename=[A file, a directory, a glob, or - for standard input (repeatable). With none and standard input not a terminal, standard input is read]:PATH:_default' \
'*--sidecarset=[SidecarSets (and Namespaces, ControllerRevisions) used as policy only, never echoed in the output (repeatable; files, directories or globs)]:PATH:_default' \
'--feature-gates=[OpenKruise feature gates, e.g. EnableSortSidecarContainerByName=true]:GATES:_default' \
'--seed=[Seed for the random draw of the Partial revision policy]:N:_default' \
'-n+[The namespace of objects that do not name one, as kubectl'\''s -n. It decides which SidecarSets match; YAML and json-patch output never name it (-o json shows Pods as the API server returns them, in it)]:NAME:_default' \
'--namespace=[The namespace of objects that do not name one, as kubectl'\''s -n. It decides which SidecarSets match; YAML and json-patch output never name it (-o json shows Pods as the API server returns them, in it)]:NAME:_default' \
'--validate=[Refuse SidecarSets the validating webhook would reject (as kubectl apply --validate); --validate=false uses them anyway]:BOOL:(true false)' \
'-o+[Output format]:OUTPUT:((yaml\:""
json\:""
json-patch\:"The admission response'\''s RFC 6902 patch, per mutated object"))' \
'--output=[Output format]:OUTPUT:((yaml\:""
json\:""
json-patch\:"The admission response'\''s RFC 6902 patch, per mutated object"))' \
'-R[Read directories named with -f recursively]' \
'--recursive[Read directories named with -f recursively]' \
'--wall-clock[Stamp the times the tool writes (\`updateTimestamp\` in the sidecarset-hash annotations) with the current time, as the webhook does. Without it the time is 1970-01-01T00\:00\:00Z, so the same input gives the same bytes; SOURCE_DATE_EPOCH (seconds), when set, beats both. An entry already recorded with the same hash keeps its time]' \
'-q[Do not print the per-workload summary on standard error]' \
'--quiet[Do not print the per-workload summary on standard error]' \
'-h[Print help (see more with '\''--help'\'')]' \
'--help[Print help (see more with '\''--help'\'')]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(hash)
_arguments "${_arguments_options[@]}" : \
'*-f+[A file, a directory, a glob, or - for standard input (repeatable). With none and standard input not a terminal, standard input is read]:PATH:_default' \
'*--filename=[A file, a directory, a glob, or - for standard input (repeatable). With none and standard input not a terminal, standard input is read]:PATH:_default' \
'*--sidecarset=[SidecarSets (and Namespaces, ControllerRevisions) used as policy only, never echoed in the output (repeatable; files, directories or globs)]:PATH:_default' \
'-o+[Output format (default\: a table NAME HASH HASH-WITHOUT-IMAGE)]:OUTPUT:(table json yaml)' \
'--output=[Output format (default\: a table NAME HASH HASH-WITHOUT-IMAGE)]:OUTPUT:(table json yaml)' \
'-R[Read directories named with -f recursively]' \
'--recursive[Read directories named with -f recursively]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(plan)
_arguments "${_arguments_options[@]}" : \
'*-f+[A file, a directory, a glob, or - for standard input (repeatable). With none and standard input not a terminal, standard input is read]:PATH:_default' \
'*--filename=[A file, a directory, a glob, or - for standard input (repeatable). With none and standard input not a terminal, standard input is read]:PATH:_default' \
'*--sidecarset=[SidecarSets (and Namespaces, ControllerRevisions) used as policy only, never echoed in the output (repeatable; files, directories or globs)]:PATH:_default' \
'--feature-gates=[OpenKruise feature gates, e.g. EnableSortSidecarContainerByName=true]:GATES:_default' \
'--seed=[Seed for the random draw of the Partial revision policy]:N:_default' \
'-n+[The namespace of objects that do not name one, as kubectl'\''s -n. It decides which SidecarSets match; YAML and json-patch output never name it (-o json shows Pods as the API server returns them, in it)]:NAME:_default' \
'--namespace=[The namespace of objects that do not name one, as kubectl'\''s -n. It decides which SidecarSets match; YAML and json-patch output never name it (-o json shows Pods as the API server returns them, in it)]:NAME:_default' \
'--validate=[Refuse SidecarSets the validating webhook would reject (as kubectl apply --validate); --validate=false uses them anyway]:BOOL:(true false)' \
'*--from=[SidecarSets as they are now in the cluster\: pods are built from the workloads in -f and injected by these, then the SidecarSets given with --sidecarset are planned against them]:PATH:_default' \
'-o+[Output format\: table (at most 10 pods per batch), wide (every pod), json, yaml]:OUTPUT:(table wide json yaml)' \
'--output=[Output format\: table (at most 10 pods per batch), wide (every pod), json, yaml]:OUTPUT:(table wide json yaml)' \
'--max-rounds=[Stop the simulation after this many rounds (0\: no limit)]:N:_default' \
'--partition=[Plan as if updateStrategy.partition were this (an integer or a percentage)]:N|N%:_default' \
'--color=[Colour\: auto (when standard output is a terminal and NO_COLOR is unset), always, never]:COLOR:(auto always never)' \
'-R[Read directories named with -f recursively]' \
'--recursive[Read directories named with -f recursively]' \
'--wall-clock[Stamp the times the tool writes (\`updateTimestamp\` in the sidecarset-hash annotations) with the current time, as the webhook does. Without it the time is 1970-01-01T00\:00\:00Z, so the same input gives the same bytes; SOURCE_DATE_EPOCH (seconds), when set, beats both. An entry already recorded with the same hash keeps its time]' \
'--no-ready[Assume upgraded pods do not become ready between rounds (a broken image)\: the plan shows where maxUnavailable stalls the rollout]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(lint)
_arguments "${_arguments_options[@]}" : \
'*-f+[A file, a directory, a glob, or - for standard input (repeatable). With none and standard input not a terminal, standard input is read]:PATH:_default' \
'*--filename=[A file, a directory, a glob, or - for standard input (repeatable). With none and standard input not a terminal, standard input is read]:PATH:_default' \
'*--sidecarset=[SidecarSets (and Namespaces, ControllerRevisions) used as policy only, never echoed in the output (repeatable; files, directories or globs)]:PATH:_default' \
'--feature-gates=[OpenKruise feature gates, e.g. EnableSortSidecarContainerByName=true]:GATES:_default' \
'--seed=[Seed for the random draw of the Partial revision policy]:N:_default' \
'-n+[The namespace of objects that do not name one, as kubectl'\''s -n. It decides which SidecarSets match; YAML and json-patch output never name it (-o json shows Pods as the API server returns them, in it)]:NAME:_default' \
'--namespace=[The namespace of objects that do not name one, as kubectl'\''s -n. It decides which SidecarSets match; YAML and json-patch output never name it (-o json shows Pods as the API server returns them, in it)]:NAME:_default' \
'*--from=[SidecarSets as stored in the cluster\: -f is checked as an UPDATE of them]:PATH:_default' \
'-o+[Output format]:OUTPUT:(text json sarif junit github)' \
'--output=[Output format]:OUTPUT:(text json sarif junit github)' \
'*--ignore=[Skip a rule (repeatable, or comma-separated)]:RULE:_default' \
'--sarif-root=[With -o sarif\: the directory artifact URIs are relative to (%SRCROOT%, e.g. the repository checkout); default the current directory]:DIR:_files' \
'--color=[]:COLOR:(auto always never)' \
'-R[Read directories named with -f recursively]' \
'--recursive[Read directories named with -f recursively]' \
'--wall-clock[Stamp the times the tool writes (\`updateTimestamp\` in the sidecarset-hash annotations) with the current time, as the webhook does. Without it the time is 1970-01-01T00\:00\:00Z, so the same input gives the same bytes; SOURCE_DATE_EPOCH (seconds), when set, beats both. An entry already recorded with the same hash keeps its time]' \
'--strict[Warnings fail the run too]' \
'--list-rules[List every rule and exit]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
'*::files -- Files to check, as with -f (hook runners such as pre-commit append the changed files'\'' names):_default' \
&& ret=0
;;
(diff)
_arguments "${_arguments_options[@]}" : \
'*-f+[A file, a directory, a glob, or - for standard input (repeatable). With none and standard input not a terminal, standard input is read]:PATH:_default' \
'*--filename=[A file, a directory, a glob, or - for standard input (repeatable). With none and standard input not a terminal, standard input is read]:PATH:_default' \
'*--sidecarset=[SidecarSets (and Namespaces, ControllerRevisions) used as policy only, never echoed in the output (repeatable; files, directories or globs)]:PATH:_default' \
'--feature-gates=[OpenKruise feature gates, e.g. EnableSortSidecarContainerByName=true]:GATES:_default' \
'--seed=[Seed for the random draw of the Partial revision policy]:N:_default' \
'-n+[The namespace of objects that do not name one, as kubectl'\''s -n. It decides which SidecarSets match; YAML and json-patch output never name it (-o json shows Pods as the API server returns them, in it)]:NAME:_default' \
'--namespace=[The namespace of objects that do not name one, as kubectl'\''s -n. It decides which SidecarSets match; YAML and json-patch output never name it (-o json shows Pods as the API server returns them, in it)]:NAME:_default' \
'--validate=[Refuse SidecarSets the validating webhook would reject (as kubectl apply --validate); --validate=false uses them anyway]:BOOL:(true false)' \
'*--from=[SidecarSets as they are now\: the diff is between injection by these and injection by the SidecarSets given with --sidecarset]:PATH:_default' \
'-U+[Lines of context]:N:_default' \
'--unified=[Lines of context]:N:_default' \
'--color=[]:COLOR:(auto always never)' \
'-R[Read directories named with -f recursively]' \
'--recursive[Read directories named with -f recursively]' \
'--wall-clock[Stamp the times the tool writes (\`updateTimestamp\` in the sidecarset-hash annotations) with the current time, as the webhook does. Without it the time is 1970-01-01T00\:00\:00Z, so the same input gives the same bytes; SOURCE_DATE_EPOCH (seconds), when set, beats both. An entry already recorded with the same hash keeps its time]' \
'--exit-code[Exit with 1 when there are differences, 0 when there are none]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(explain)
_arguments "${_arguments_options[@]}" : \
'*-f+[A file, a directory, a glob, or - for standard input (repeatable). With none and standard input not a terminal, standard input is read]:PATH:_default' \
'*--filename=[A file, a directory, a glob, or - for standard input (repeatable). With none and standard input not a terminal, standard input is read]:PATH:_default' \
'*--sidecarset=[SidecarSets (and Namespaces, ControllerRevisions) used as policy only, never echoed in the output (repeatable; files, directories or globs)]:PATH:_default' \
'--feature-gates=[OpenKruise feature gates, e.g. EnableSortSidecarContainerByName=true]:GATES:_default' \
'--seed=[Seed for the random draw of the Partial revision policy]:N:_default' \
'-n+[The namespace of objects that do not name one, as kubectl'\''s -n. It decides which SidecarSets match; YAML and json-patch output never name it (-o json shows Pods as the API server returns them, in it)]:NAME:_default' \
'--namespace=[The namespace of objects that do not name one, as kubectl'\''s -n. It decides which SidecarSets match; YAML and json-patch output never name it (-o json shows Pods as the API server returns them, in it)]:NAME:_default' \
'--validate=[Refuse SidecarSets the validating webhook would reject (as kubectl apply --validate); --validate=false uses them anyway]:BOOL:(true false)' \
'-o+[]:OUTPUT:(text json)' \
'--output=[]:OUTPUT:(text json)' \
'-R[Read directories named with -f recursively]' \
'--recursive[Read directories named with -f recursively]' \
'--wall-clock[Stamp the times the tool writes (\`updateTimestamp\` in the sidecarset-hash annotations) with the current time, as the webhook does. Without it the time is 1970-01-01T00\:00\:00Z, so the same input gives the same bytes; SOURCE_DATE_EPOCH (seconds), when set, beats both. An entry already recorded with the same hash keeps its time]' \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
&& ret=0
;;
(completion)
_arguments "${_arguments_options[@]}" : \
'-h[Print help]' \
'--help[Print help]' \
'-V[Print version]' \
'--version[Print version]' \
':shell -- The shell:(bash elvish fish powershell zsh)' \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
":: :_kubectl-sidecarset__subcmd__help_commands" \
"*::: :->help" \
&& ret=0

    case $state in
    (help)
        words=($line[1] "${words[@]}")
        (( CURRENT += 1 ))
        curcontext="${curcontext%:*:*}:kubectl-sidecarset-help-command-$line[1]:"
        case $line[1] in
            (inject)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(hash)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(plan)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(lint)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(diff)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(explain)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(completion)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
(help)
_arguments "${_arguments_options[@]}" : \
&& ret=0
;;
        esac
    ;;
esac
;;
        esac
    ;;
esac
}

(( $+functions[_kubectl-sidecarset_commands] )) ||
_kubectl-sidecarset_commands() {
    local commands; commands=(
'inject:Inject sidecars into Pods and workload templates as the pod webhook would on CREATE' \
'hash:Print SidecarSets as the cluster stores them\: defaults and revision hashes' \
'plan:Plan the controller'\''s in-place rollout of SidecarSets, batch by batch' \
'lint:Check SidecarSets and workloads\: the validating webhook'\''s rules and best practices' \
'diff:Show what injection (or a SidecarSet change) does to rendered resources, as a unified diff' \
'explain:Explain, per workload and SidecarSet, whether it is injected and why' \
'completion:Print a shell completion script' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'kubectl-sidecarset commands' commands "$@"
}
(( $+functions[_kubectl-sidecarset__subcmd__completion_commands] )) ||
_kubectl-sidecarset__subcmd__completion_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-sidecarset completion commands' commands "$@"
}
(( $+functions[_kubectl-sidecarset__subcmd__diff_commands] )) ||
_kubectl-sidecarset__subcmd__diff_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-sidecarset diff commands' commands "$@"
}
(( $+functions[_kubectl-sidecarset__subcmd__explain_commands] )) ||
_kubectl-sidecarset__subcmd__explain_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-sidecarset explain commands' commands "$@"
}
(( $+functions[_kubectl-sidecarset__subcmd__hash_commands] )) ||
_kubectl-sidecarset__subcmd__hash_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-sidecarset hash commands' commands "$@"
}
(( $+functions[_kubectl-sidecarset__subcmd__help_commands] )) ||
_kubectl-sidecarset__subcmd__help_commands() {
    local commands; commands=(
'inject:Inject sidecars into Pods and workload templates as the pod webhook would on CREATE' \
'hash:Print SidecarSets as the cluster stores them\: defaults and revision hashes' \
'plan:Plan the controller'\''s in-place rollout of SidecarSets, batch by batch' \
'lint:Check SidecarSets and workloads\: the validating webhook'\''s rules and best practices' \
'diff:Show what injection (or a SidecarSet change) does to rendered resources, as a unified diff' \
'explain:Explain, per workload and SidecarSet, whether it is injected and why' \
'completion:Print a shell completion script' \
'help:Print this message or the help of the given subcommand(s)' \
    )
    _describe -t commands 'kubectl-sidecarset help commands' commands "$@"
}
(( $+functions[_kubectl-sidecarset__subcmd__help__subcmd__completion_commands] )) ||
_kubectl-sidecarset__subcmd__help__subcmd__completion_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-sidecarset help completion commands' commands "$@"
}
(( $+functions[_kubectl-sidecarset__subcmd__help__subcmd__diff_commands] )) ||
_kubectl-sidecarset__subcmd__help__subcmd__diff_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-sidecarset help diff commands' commands "$@"
}
(( $+functions[_kubectl-sidecarset__subcmd__help__subcmd__explain_commands] )) ||
_kubectl-sidecarset__subcmd__help__subcmd__explain_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-sidecarset help explain commands' commands "$@"
}
(( $+functions[_kubectl-sidecarset__subcmd__help__subcmd__hash_commands] )) ||
_kubectl-sidecarset__subcmd__help__subcmd__hash_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-sidecarset help hash commands' commands "$@"
}
(( $+functions[_kubectl-sidecarset__subcmd__help__subcmd__help_commands] )) ||
_kubectl-sidecarset__subcmd__help__subcmd__help_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-sidecarset help help commands' commands "$@"
}
(( $+functions[_kubectl-sidecarset__subcmd__help__subcmd__inject_commands] )) ||
_kubectl-sidecarset__subcmd__help__subcmd__inject_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-sidecarset help inject commands' commands "$@"
}
(( $+functions[_kubectl-sidecarset__subcmd__help__subcmd__lint_commands] )) ||
_kubectl-sidecarset__subcmd__help__subcmd__lint_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-sidecarset help lint commands' commands "$@"
}
(( $+functions[_kubectl-sidecarset__subcmd__help__subcmd__plan_commands] )) ||
_kubectl-sidecarset__subcmd__help__subcmd__plan_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-sidecarset help plan commands' commands "$@"
}
(( $+functions[_kubectl-sidecarset__subcmd__inject_commands] )) ||
_kubectl-sidecarset__subcmd__inject_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-sidecarset inject commands' commands "$@"
}
(( $+functions[_kubectl-sidecarset__subcmd__lint_commands] )) ||
_kubectl-sidecarset__subcmd__lint_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-sidecarset lint commands' commands "$@"
}
(( $+functions[_kubectl-sidecarset__subcmd__plan_commands] )) ||
_kubectl-sidecarset__subcmd__plan_commands() {
    local commands; commands=()
    _describe -t commands 'kubectl-sidecarset plan commands' commands "$@"
}

if [ "$funcstack[1]" = "_kubectl-sidecarset" ]; then
    _kubectl-sidecarset "$@"
else
    compdef _kubectl-sidecarset kubectl-sidecarset
fi
