#!/usr/bin/perl
# Our `xl -N create` prints exactly upstream's JSON (golden/*.json) for
# every case; the configs have fixed UUIDs, so nothing is normalised.
use strict;
use warnings;
use FindBin;
use lib "$FindBin::Bin/..";
use Test::More;
use Cases;

my @cases = Cases::cases();
plan tests => 2 * @cases + 8;

for my $c (@cases) {
    my $g = Cases::golden_path($c);
    my ($st, $out, $err) = Cases::dryrun($c, @Cases::OUR_XL);
    is($st, 0, "$c->{name}: xl -N create exits 0") or diag($err);
    my $want = -f $g ? Cases::slurp($g) : "<missing $g>";
    if ($out eq $want) {
        pass("$c->{name}: JSON is upstream's");
    } else {
        fail("$c->{name}: JSON is upstream's");
        my $tmp = "/tmp/xl-dryrun-$c->{name}.$$.json";
        open(my $fh, '>', $tmp) or die;
        print $fh $out;
        close $fh;
        diag(scalar `diff -u '$g' '$tmp'`);
        unlink $tmp;
    }
}

# The other ways to ask for a dry run give the same JSON.
my ($c) = grep { $_->{name} eq 'overrides' } @cases;
my $want = Cases::slurp(Cases::golden_path($c));
my ($st, $out, $err) = Cases::run($c->{conf}, @Cases::OUR_XL, 'create',
    '-n', $c->{file}, @{$c->{args}});
is($out, $want, 'xl create -n: same JSON as xl -N create');
($st, $out, $err) = Cases::run($c->{conf}, @Cases::OUR_XL, 'create',
    '--dryrun', '-f', $c->{file}, @{$c->{args}});
is($out, $want, 'xl create --dryrun -f FILE: same JSON');
like($err, qr/^Parsing config from \Q$c->{file}\E$/m,
     'says which file it parses');
($st, $out, $err) = Cases::run($c->{conf}, @Cases::OUR_XL, '-N', 'create',
    '-q', $c->{file}, @{$c->{args}});
is($err, '', 'create -q: nothing on stderr');
# A prefix of a command name is the command (as upstream).
($st, $out, $err) = Cases::run($c->{conf}, @Cases::OUR_XL, '-N', 'cr',
    $c->{file}, @{$c->{args}});
is($out, $want, 'xl -N cr: a prefix of create is create');

# Without uuid=, xl makes a new random one each time; the rest is the
# same JSON.
my ($m) = grep { $_->{name} eq 'hvm-minimal' } @cases;
(my $text = Cases::slurp($m->{file})) =~ s/^uuid\s*=.*\n//m;
my $tmp = "/tmp/xl-dryrun-nouuid.$$.cfg";
open(my $fh, '>', $tmp) or die "$tmp: $!";
print $fh $text;
close $fh;
my $uuid_re = qr/"uuid": "([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"/;
my ($s1, $o1) = Cases::run($m->{conf}, @Cases::OUR_XL, '-N', 'create', '-q',
                           $tmp);
my ($s2, $o2) = Cases::run($m->{conf}, @Cases::OUR_XL, '-N', 'create', '-q',
                           $tmp);
unlink $tmp;
my ($u1) = $o1 =~ $uuid_re;
my ($u2) = $o2 =~ $uuid_re;
ok(defined $u1 && defined $u2 && $u1 ne $u2,
   'no uuid=: a fresh random UUID each time');
ok($u1 !~ /^0{8}-/, 'no uuid=: not the nil UUID');
my $g = Cases::slurp(Cases::golden_path($m));
s/$uuid_re/"uuid": "U"/ for ($o1, $g);
is($o1, $g, 'no uuid=: otherwise upstream\'s JSON');
