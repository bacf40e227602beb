#!/usr/bin/perl
# bench-xl-dryrun (make bench) prints a figure only for runs that all
# worked: an xl that fails ends it with exit 1, its message and "-".
use strict;
use warnings;
use FindBin;
use File::Temp qw(tempdir);
use lib "$FindBin::Bin/..";
use Test::More;
use Cases;

my $bench = "$Cases::TOP/tools/tests/bench/bench-xl-dryrun";
my $cfg = "$Cases::TOP/tools/examples/xlexample.pvh";
my $dir = tempdir(CLEANUP => 1);
my ($st, $out, $err);

($st, $out, $err) = Cases::run(undef, $bench, $Cases::OUR_XL, $cfg, 3);
is($st, 0, 'our xl, 3 runs: exit 0');
like($out, qr/^xl -N create:\s+\d+ us median, \d+ us p90 \(3 runs\)$/m,
     'our xl: a median of the 3 runs');

# An xl that fails at its second run.
my $fake = "$dir/xl";
open(my $fh, '>', $fake) or die;
print $fh "#!/bin/sh\nn=\$(cat $dir/n 2>/dev/null || echo 0)\n"
    . "echo \$((n + 1)) > $dir/n\n"
    . "[ \$n -lt 1 ] || { echo 'xl: broken' >&2; exit 3; }\n";
close($fh);
chmod(0755, $fake);
($st, $out, $err) = Cases::run(undef, $bench, $fake, $cfg, 5);
is($st >> 8, 1, 'an xl that fails: exit 1');
like($out, qr/^xl -N create:\s+- \(failed\)$/m, '... prints - for its figure');
unlike($out, qr/us median/, '... and no median');
like($err, qr/run 2 of 5: .* failed:\n  xl: broken/, '... names the run and '
     . 'gives xl\'s message');

done_testing();
