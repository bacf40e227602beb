#!/usr/bin/perl
# The command line: global options, help, usage errors (exit 2 for a
# subcommand's bad usage, 1 for an unknown command, as upstream).
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/..";
use Test::More;
use File::Temp;
use Cases;

my $xl = $Cases::OUR_XL;
my $cfg = "$Cases::TOP/tools/examples/xlexample.pvh";
sub xl { return Cases::run(undef, $xl, @_); }
my ($st, $out, $err);

($st, $out, $err) = xl('create', '-z', $cfg);
is($st >> 8, 2, 'create -z: exit 2');
like($err, qr/^xl create: unknown option -z$/m, 'create -z: names it');
like($err, qr/^Usage: xl .*create <ConfigFile>/m, 'create -z: usage');

($st, $out, $err) = xl('create', '--frobnicate', $cfg);
is($st >> 8, 2, 'create --frobnicate: exit 2');
like($err, qr/unknown option --frobnicate/, 'create --frobnicate: named');

($st, $out, $err) = xl('create', $cfg, '-f');
is($st >> 8, 2, 'create -f without its argument: exit 2');
like($err, qr/option -f needs an argument/, 'create -f: says so');

($st, $out, $err) = xl('-N', 'create');
is($st >> 8, 2, 'create without a file: exit 2');
like($err, qr/no configuration file given/, 'create without a file: says so');

($st, $out, $err) = xl('-N', 'create', $cfg, $cfg);
is($st >> 8, 2, 'create with two files: exit 2');
like($err, qr/unexpected argument/, 'two files: says so');

for my $h (['create', '-h'], ['create', '--help'], ['help', 'create']) {
    ($st, $out, $err) = xl(@$h);
    is($st, 0, "xl @$h: exit 0");
    like($out, qr/^Usage: xl \[-vtTfN\] create <ConfigFile> .*\n\n/,
         "xl @$h: usage line");
    like($out, qr/\n\nCreate a domain[^\n]*\.\n\nOptions:\n\n-c /,
         "xl @$h: description and options");
}

($st, $out, $err) = xl('help');
is($st, 0, 'xl help: exit 0');
like($out, qr/^ create\s+Create a domain/m, 'xl help lists create');
like($out, qr/^ list\s/m, 'xl help lists list');

($st, $out, $err) = xl();
is($st >> 8, 1, 'xl alone: exit 1');
like($err, qr/^Usage: xl \[-vfNtT\] <subcommand>/, 'xl alone: usage');

($st, $out, $err) = xl('-Z', 'create');
is($st >> 8, 1, 'unknown global option: exit 1');
like($err, qr/unknown global option -Z/, 'unknown global option: named');

($st, $out, $err) = xl('frobnicate');
is($st >> 8, 1, 'unknown command: exit 1');
like($err, qr/unknown command 'frobnicate'/, 'unknown command: named');

($st, $out, $err) = xl('help', 'frobnicate');
is($st >> 8, 1, 'help on an unknown command: exit 1');

($st, $out, $err) = xl('-V');
is($st, 0, 'xl -V: exit 0');
like($out, qr/^xl 4\.17/, 'xl -V: version');
($st, $out, $err) = xl('--version');
like($out, qr/^xl 4\.17/, 'xl --version');

# Help offers only what works: the list names no command that is not
# implemented, and the help of one says it is not, as running it does.
($st, $out, $err) = xl('help');
unlike($out, qr/^ (mem-set|save|restore|vcpu-list|dmesg|block-attach)\s/m,
       'xl help lists no command that is not implemented');
($st, $out, $err) = xl('mem-set', '--help');
is($st >> 8, 1, 'help of a command not implemented yet: exit 1');
like($err, qr/^xl: mem-set is not implemented yet$/,
     'help of a command not implemented yet: says so');
is($out, '', '... and prints no usage');
($st, $out, $err) = xl('help', 'mem-set');
is($st >> 8, 1, 'xl help mem-set: exit 1');
like($err, qr/^xl: mem-set is not implemented yet$/, 'xl help mem-set: says so');
($st, $out, $err) = xl('mem-set', 'guest', '512');
is($st >> 8, 1, 'a command not implemented yet: exit 1');
like($err, qr/^xl: mem-set is not implemented yet$/, '... and says so');
($st, $out, $err) = xl('list', '--help');
is($st, 0, 'xl list --help: exit 0');
like($out, qr/^Usage: xl .*list/, 'xl list --help: its usage');

($st, $out, $err) = xl('-N', 'list');
is($st >> 8, 1, 'xl -N list: exit 1');
like($err, qr/list does not implement -N/, 'xl -N list: says -N is refused');

($st, $out, $err) = xl('-v', '-v', '-N', 'create', '-q', $cfg);
is($st, 0, 'global -v -v before -N: accepted');

# xl.conf: absent is fine (defaults), broken is an error with its line.
{
    local $ENV{XL_GLOBAL_CONFIG};
    ($st, $out, $err) = Cases::run('/nonexistent/xl.conf', $xl, '-N',
                                   'create', '-q', $cfg);
    is($st, 0, 'no xl.conf: works with the defaults');
    is($err, '', 'no xl.conf: nothing said');
    my $bad = "/tmp/xl-dryrun-bad-xl.conf.$$";
    open(my $fh, '>', $bad) or die;
    print $fh "autoballoon = \"auto\"\nclaim_mode = = 1\n";
    close $fh;
    ($st, $out, $err) = Cases::run($bad, $xl, '-N', 'create', '-q', $cfg);
    unlink $bad;
    is($st >> 8, 1, 'broken xl.conf: exit 1');
    like($err, qr/\Q$bad\E:2/, 'broken xl.conf: file:line');
}

# The soft reset storm guard's keys (xl's own, xl.cfg(5)): taken with
# a limit, a warning without one.
{
    my $g = File::Temp->new(SUFFIX => '.cfg')->filename;
    open(my $fh, '>', $g) or die "$g: $!";
    print $fh qq(name = "g"\ntype = "pvh"\nkernel = "/k"\n)
        . qq(soft_reset_limit = 3\nsoft_reset_window = 30\n)
        . qq(on_soft_reset_limit = "restart"\n);
    close($fh);
    ($st, $out, $err) = xl('-N', 'create', $g);
    is($st, 0, 'soft_reset_limit, _window, on_soft_reset_limit: taken');
    unlike($err, qr/warning|no effect/, '... without a warning');
    ($st, $out, $err) = xl('-N', 'create', $g, 'soft_reset_limit=0');
    is($st, 0, 'the window and action without a limit: taken');
    like($err, qr/soft_reset_window has no effect without soft_reset_limit/,
         '... with a warning that they do nothing');
    unlink($g);
}

done_testing();
