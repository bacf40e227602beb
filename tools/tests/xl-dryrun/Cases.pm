# The dry-run cases shared by the tests and regen-golden.
#
# A case is a domain config and how xl is run on it:
#   configs/NAME.cfg      the config (every one has a fixed uuid)
#   configs/NAME.args     optional: more arguments for `xl -N create`,
#                         one per line (KEY=VALUE overrides); when its
#                         first line is /dev/null, that replaces the file
#   configs/NAME.xlconf   optional: the xl.conf to use (default: empty)
#   golden/NAME.json      upstream xl's output for it
# plus every tools/examples/xlexample.* (golden/example-<file>.json).
package Cases;
use strict;
use warnings;
use File::Basename qw(basename dirname);
use Cwd qw(abs_path);
use IPC::Open3;
use Symbol qw(gensym);

our $DIR = abs_path(dirname(__FILE__));
our $TOP = abs_path("$DIR/../../..");
our $EMPTY_CONF = "$TOP/tools/tests/reference/empty-xl.conf";
our $OUR_XL = $ENV{XL} // "$TOP/tools/xl/xl";
# XL_WRAPPER (e.g. "valgrind -q ...") runs our xl under a tool.
our @OUR_XL = ((split ' ', $ENV{XL_WRAPPER} // ''), $OUR_XL);
our $UPSTREAM_XL = "$TOP/tools/tests/reference/upstream-xl";

sub slurp {
    my ($f) = @_;
    open(my $fh, '<', $f) or die "$f: $!";
    local $/;
    my $s = <$fh>;
    close $fh;
    return $s;
}

sub cases {
    my @cases;
    for my $cfg (sort glob("$DIR/configs/*.cfg")) {
        my $name = basename($cfg, '.cfg');
        my (@args, $file) = ();
        $file = $cfg;
        if (-f "$DIR/configs/$name.args") {
            @args = grep { length } split /\n/,
                slurp("$DIR/configs/$name.args");
            $file = shift @args if @args && $args[0] eq '/dev/null';
        }
        my $conf = -f "$DIR/configs/$name.xlconf"
            ? "$DIR/configs/$name.xlconf" : $EMPTY_CONF;
        push @cases, { name => $name, file => $file, args => \@args,
                       conf => $conf };
    }
    for my $ex (sort glob("$TOP/tools/examples/xlexample.*")) {
        push @cases, { name => 'example-' . basename($ex), file => $ex,
                       args => [], conf => $EMPTY_CONF };
    }
    return @cases;
}

sub golden_path { my ($c) = @_; return "$DIR/golden/$c->{name}.json"; }

# Runs a command with XL_GLOBAL_CONFIG set; returns (status, out, err)
# where status is the raw wait status.
sub run {
    my ($conf, @cmd) = @_;
    local $ENV{XL_GLOBAL_CONFIG} = $conf // $EMPTY_CONF;
    # The host's CPU count shows in CPU maps ("all"): fix it, for both
    # xls, so that the goldens do not depend on the machine.
    local $ENV{XL_DRYRUN_HOST_CPUS} = 8;
    my $err = gensym;
    my $pid = open3(my $in, my $out, $err, @cmd);
    close $in;
    my ($o, $e) = ('', '');
    # Small outputs: read stdout then stderr.
    { local $/; $o = <$out> // ''; $e = <$err> // ''; }
    waitpid($pid, 0);
    return ($?, $o, $e);
}

# xl -N create for a case, with the given xl (a list: program + args).
sub dryrun {
    my ($c, @xl) = @_;
    return run($c->{conf}, @xl, '-N', 'create', $c->{file}, @{$c->{args}});
}

1;
