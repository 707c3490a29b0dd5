# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_kubectl_sidecarset_global_optspecs
    string join \n h/help V/version
end

function __fish_kubectl_sidecarset_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_kubectl_sidecarset_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_kubectl_sidecarset_using_subcommand
    set -l cmd (__fish_kubectl_sidecarset_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_needs_command" -s V -l version -d 'Print version'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_needs_command" -f -a "inject" -d 'Inject sidecars into Pods and workload templates as the pod webhook would on CREATE'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_needs_command" -f -a "hash" -d 'Print SidecarSets as the cluster stores them: defaults and revision hashes'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_needs_command" -f -a "plan" -d 'Plan the controller\'s in-place rollout of SidecarSets, batch by batch'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_needs_command" -f -a "lint" -d 'Check SidecarSets and workloads: the validating webhook\'s rules and best practices'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_needs_command" -f -a "diff" -d 'Show what injection (or a SidecarSet change) does to rendered resources, as a unified diff'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_needs_command" -f -a "explain" -d 'Explain, per workload and SidecarSet, whether it is injected and why'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_needs_command" -f -a "completion" -d 'Print a shell completion script'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand inject" -s f -l filename -d 'A file, a directory, a glob, or - for standard input (repeatable). With none and standard input not a terminal, standard input is read' -r
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand inject" -l sidecarset -d 'SidecarSets (and Namespaces, ControllerRevisions) used as policy only, never echoed in the output (repeatable; files, directories or globs)' -r
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand inject" -l feature-gates -d 'OpenKruise feature gates, e.g. EnableSortSidecarContainerByName=true' -r
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand inject" -l seed -d 'Seed for the random draw of the Partial revision policy' -r
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand inject" -s n -l namespace -d 'The namespace of objects that do not name one, as kubectl\'s -n. It decides which SidecarSets match; YAML and json-patch output never name it (-o json shows Pods as the API server returns them, in it)' -r
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand inject" -l validate -d 'Refuse SidecarSets the validating webhook would reject (as kubectl apply --validate); --validate=false uses them anyway' -r -f -a "true\t''
false\t''"
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand inject" -s o -l output -d 'Output format' -r -f -a "yaml\t''
json\t''
json-patch\t'The admission response\'s RFC 6902 patch, per mutated object'"
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand inject" -s R -l recursive -d 'Read directories named with -f recursively'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand inject" -l wall-clock -d 'Stamp the times the tool writes (`updateTimestamp` in the sidecarset-hash annotations) with the current time, as the webhook does. Without it the time is 1970-01-01T00:00:00Z, so the same input gives the same bytes; SOURCE_DATE_EPOCH (seconds), when set, beats both. An entry already recorded with the same hash keeps its time'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand inject" -s q -l quiet -d 'Do not print the per-workload summary on standard error'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand inject" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand inject" -s V -l version -d 'Print version'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand hash" -s f -l filename -d 'A file, a directory, a glob, or - for standard input (repeatable). With none and standard input not a terminal, standard input is read' -r
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand hash" -l sidecarset -d 'SidecarSets (and Namespaces, ControllerRevisions) used as policy only, never echoed in the output (repeatable; files, directories or globs)' -r
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand hash" -s o -l output -d 'Output format (default: a table NAME HASH HASH-WITHOUT-IMAGE)' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand hash" -s R -l recursive -d 'Read directories named with -f recursively'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand hash" -s h -l help -d 'Print help'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand hash" -s V -l version -d 'Print version'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand plan" -s f -l filename -d 'A file, a directory, a glob, or - for standard input (repeatable). With none and standard input not a terminal, standard input is read' -r
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand plan" -l sidecarset -d 'SidecarSets (and Namespaces, ControllerRevisions) used as policy only, never echoed in the output (repeatable; files, directories or globs)' -r
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand plan" -l feature-gates -d 'OpenKruise feature gates, e.g. EnableSortSidecarContainerByName=true' -r
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand plan" -l seed -d 'Seed for the random draw of the Partial revision policy' -r
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand plan" -s n -l namespace -d 'The namespace of objects that do not name one, as kubectl\'s -n. It decides which SidecarSets match; YAML and json-patch output never name it (-o json shows Pods as the API server returns them, in it)' -r
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand plan" -l validate -d 'Refuse SidecarSets the validating webhook would reject (as kubectl apply --validate); --validate=false uses them anyway' -r -f -a "true\t''
false\t''"
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand plan" -l from -d 'SidecarSets as they are now in the cluster: pods are built from the workloads in -f and injected by these, then the SidecarSets given with --sidecarset are planned against them' -r
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand plan" -s o -l output -d 'Output format: table (at most 10 pods per batch), wide (every pod), json, yaml' -r -f -a "table\t''
wide\t''
json\t''
yaml\t''"
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand plan" -l max-rounds -d 'Stop the simulation after this many rounds (0: no limit)' -r
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand plan" -l partition -d 'Plan as if updateStrategy.partition were this (an integer or a percentage)' -r
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand plan" -l color -d 'Colour: auto (when standard output is a terminal and NO_COLOR is unset), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand plan" -s R -l recursive -d 'Read directories named with -f recursively'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand plan" -l wall-clock -d 'Stamp the times the tool writes (`updateTimestamp` in the sidecarset-hash annotations) with the current time, as the webhook does. Without it the time is 1970-01-01T00:00:00Z, so the same input gives the same bytes; SOURCE_DATE_EPOCH (seconds), when set, beats both. An entry already recorded with the same hash keeps its time'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand plan" -l no-ready -d 'Assume upgraded pods do not become ready between rounds (a broken image): the plan shows where maxUnavailable stalls the rollout'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand plan" -s h -l help -d 'Print help'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand plan" -s V -l version -d 'Print version'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand lint" -s f -l filename -d 'A file, a directory, a glob, or - for standard input (repeatable). With none and standard input not a terminal, standard input is read' -r
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand lint" -l sidecarset -d 'SidecarSets (and Namespaces, ControllerRevisions) used as policy only, never echoed in the output (repeatable; files, directories or globs)' -r
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand lint" -l feature-gates -d 'OpenKruise feature gates, e.g. EnableSortSidecarContainerByName=true' -r
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand lint" -l seed -d 'Seed for the random draw of the Partial revision policy' -r
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand lint" -s n -l namespace -d 'The namespace of objects that do not name one, as kubectl\'s -n. It decides which SidecarSets match; YAML and json-patch output never name it (-o json shows Pods as the API server returns them, in it)' -r
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand lint" -l from -d 'SidecarSets as stored in the cluster: -f is checked as an UPDATE of them' -r
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand lint" -s o -l output -d 'Output format' -r -f -a "text\t''
json\t''
sarif\t''
junit\t''
github\t''"
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand lint" -l ignore -d 'Skip a rule (repeatable, or comma-separated)' -r
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand lint" -l sarif-root -d 'With -o sarif: the directory artifact URIs are relative to (%SRCROOT%, e.g. the repository checkout); default the current directory' -r -F
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand lint" -l color -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand lint" -s R -l recursive -d 'Read directories named with -f recursively'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand lint" -l wall-clock -d 'Stamp the times the tool writes (`updateTimestamp` in the sidecarset-hash annotations) with the current time, as the webhook does. Without it the time is 1970-01-01T00:00:00Z, so the same input gives the same bytes; SOURCE_DATE_EPOCH (seconds), when set, beats both. An entry already recorded with the same hash keeps its time'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand lint" -l strict -d 'Warnings fail the run too'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand lint" -l list-rules -d 'List every rule and exit'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand lint" -s h -l help -d 'Print help'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand lint" -s V -l version -d 'Print version'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand diff" -s f -l filename -d 'A file, a directory, a glob, or - for standard input (repeatable). With none and standard input not a terminal, standard input is read' -r
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand diff" -l sidecarset -d 'SidecarSets (and Namespaces, ControllerRevisions) used as policy only, never echoed in the output (repeatable; files, directories or globs)' -r
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand diff" -l feature-gates -d 'OpenKruise feature gates, e.g. EnableSortSidecarContainerByName=true' -r
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand diff" -l seed -d 'Seed for the random draw of the Partial revision policy' -r
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand diff" -s n -l namespace -d 'The namespace of objects that do not name one, as kubectl\'s -n. It decides which SidecarSets match; YAML and json-patch output never name it (-o json shows Pods as the API server returns them, in it)' -r
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand diff" -l validate -d 'Refuse SidecarSets the validating webhook would reject (as kubectl apply --validate); --validate=false uses them anyway' -r -f -a "true\t''
false\t''"
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand diff" -l from -d 'SidecarSets as they are now: the diff is between injection by these and injection by the SidecarSets given with --sidecarset' -r
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand diff" -s U -l unified -d 'Lines of context' -r
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand diff" -l color -r -f -a "auto\t''
always\t''
never\t''"
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand diff" -s R -l recursive -d 'Read directories named with -f recursively'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand diff" -l wall-clock -d 'Stamp the times the tool writes (`updateTimestamp` in the sidecarset-hash annotations) with the current time, as the webhook does. Without it the time is 1970-01-01T00:00:00Z, so the same input gives the same bytes; SOURCE_DATE_EPOCH (seconds), when set, beats both. An entry already recorded with the same hash keeps its time'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand diff" -l exit-code -d 'Exit with 1 when there are differences, 0 when there are none'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand diff" -s h -l help -d 'Print help'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand diff" -s V -l version -d 'Print version'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand explain" -s f -l filename -d 'A file, a directory, a glob, or - for standard input (repeatable). With none and standard input not a terminal, standard input is read' -r
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand explain" -l sidecarset -d 'SidecarSets (and Namespaces, ControllerRevisions) used as policy only, never echoed in the output (repeatable; files, directories or globs)' -r
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand explain" -l feature-gates -d 'OpenKruise feature gates, e.g. EnableSortSidecarContainerByName=true' -r
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand explain" -l seed -d 'Seed for the random draw of the Partial revision policy' -r
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand explain" -s n -l namespace -d 'The namespace of objects that do not name one, as kubectl\'s -n. It decides which SidecarSets match; YAML and json-patch output never name it (-o json shows Pods as the API server returns them, in it)' -r
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand explain" -l validate -d 'Refuse SidecarSets the validating webhook would reject (as kubectl apply --validate); --validate=false uses them anyway' -r -f -a "true\t''
false\t''"
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand explain" -s o -l output -r -f -a "text\t''
json\t''"
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand explain" -s R -l recursive -d 'Read directories named with -f recursively'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand explain" -l wall-clock -d 'Stamp the times the tool writes (`updateTimestamp` in the sidecarset-hash annotations) with the current time, as the webhook does. Without it the time is 1970-01-01T00:00:00Z, so the same input gives the same bytes; SOURCE_DATE_EPOCH (seconds), when set, beats both. An entry already recorded with the same hash keeps its time'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand explain" -s h -l help -d 'Print help'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand explain" -s V -l version -d 'Print version'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand completion" -s h -l help -d 'Print help'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand completion" -s V -l version -d 'Print version'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand help; and not __fish_seen_subcommand_from inject hash plan lint diff explain completion help" -f -a "inject" -d 'Inject sidecars into Pods and workload templates as the pod webhook would on CREATE'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand help; and not __fish_seen_subcommand_from inject hash plan lint diff explain completion help" -f -a "hash" -d 'Print SidecarSets as the cluster stores them: defaults and revision hashes'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand help; and not __fish_seen_subcommand_from inject hash plan lint diff explain completion help" -f -a "plan" -d 'Plan the controller\'s in-place rollout of SidecarSets, batch by batch'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand help; and not __fish_seen_subcommand_from inject hash plan lint diff explain completion help" -f -a "lint" -d 'Check SidecarSets and workloads: the validating webhook\'s rules and best practices'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand help; and not __fish_seen_subcommand_from inject hash plan lint diff explain completion help" -f -a "diff" -d 'Show what injection (or a SidecarSet change) does to rendered resources, as a unified diff'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand help; and not __fish_seen_subcommand_from inject hash plan lint diff explain completion help" -f -a "explain" -d 'Explain, per workload and SidecarSet, whether it is injected and why'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand help; and not __fish_seen_subcommand_from inject hash plan lint diff explain completion help" -f -a "completion" -d 'Print a shell completion script'
complete -c kubectl-sidecarset -n "__fish_kubectl_sidecarset_using_subcommand help; and not __fish_seen_subcommand_from inject hash plan lint diff explain completion help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
