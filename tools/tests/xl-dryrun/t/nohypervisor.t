#!/usr/bin/perl
# Without Xen (this machine, CI), a command that needs the hypervisor
# fails with one clear line and a non-zero exit, not a stack of library
# errors; the dry run does not need the hypervisor at all.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/..";
use Test::More;
use Cases;

plan skip_all => 'this machine runs Xen' if -e '/dev/xen/privcmd'
    || -e '/proc/xen/privcmd';

my $cfg = "$Cases::TOP/tools/examples/xlexample.pvh";
my ($st, $out, $err) = Cases::run(undef, $Cases::OUR_XL, 'create', '-q',
                                  $cfg);
ok($st >> 8 != 0 && !($st & 127), 'create without Xen: fails cleanly');
my @lines = grep { length } split /\n/, $err;
is(scalar @lines, 1, 'create without Xen: one line of error')
    or diag($err);

($st, $out, $err) = Cases::run(undef, $Cases::OUR_XL, '-N', 'create', '-q',
                               $cfg);
is($st, 0, 'xl -N create works without Xen');
done_testing();
